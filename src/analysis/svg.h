/* Chart primitives for the HTML report: inline SVG written into a wb_buf.
 *
 * Every chart is one self-contained <svg> element (no external fonts, styles or
 * scripts) written as well-formed XML, so the report parses with any XML parser
 * and renders with JavaScript off. Text comes from data (strategy names, error
 * messages), so every string goes through wb_xml_escape.
 *
 * Charts must survive grey-scale printing: series differ in lightness AND in a
 * second channel (a hatch pattern for bars, a marker shape and a dash pattern
 * for points and lines), and line charts label each line at its end. Sizes are
 * CSS pixels; every axis label (class "axis-label") names its unit in
 * parentheses, "(ms)", "(rows/s)", which the report's tests check; text is 12 px sans-serif, whose width is estimated (no font
 * metrics without a browser) generously so labels do not collide. */
#ifndef WB_ANALYSIS_SVG_H
#define WB_ANALYSIS_SVG_H

#include <stddef.h>

#include "util/buf.h"

/* Append text[0..len) escaped for XML text and attribute values: & < > " ' as
 * entities, tab/LF/CR kept, other control characters and every byte that is not
 * part of valid UTF-8 replaced by U+FFFD (XML 1.0 cannot hold them at all). */
void wb_xml_escape_n(wb_buf *out, const char *text, size_t len);
/* wb_xml_escape_n for a NUL-terminated string (NULL appends nothing). */
void wb_xml_escape(wb_buf *out, const char *text);

/* Estimated width in pixels of text at font_px (sans-serif, UTF-8 aware). */
double wb_svg_text_width(const char *text, double font_px);

/* A number for a tick or value label: up to 3 significant digits, with k/M/G
 * for thousands and more ("12.5k", "3M"), "0" for zero; "-" when not finite. */
void wb_svg_number(char *out, size_t n, double v);

/* An axis: data values [lo, hi] mapped onto pixels [px_lo, px_hi], linearly or
 * on a log10 scale (log needs lo > 0). */
typedef struct wb_scale {
    double lo, hi;
    double px_lo, px_hi;
    int log;
} wb_scale;

/* The pixel of value v (values outside [lo, hi] map outside the pixel range). */
double wb_scale_px(const wb_scale *s, double v);
/* Widen [lo, hi] to round tick values (linear) or whole powers of ten (log). */
void wb_scale_nice(wb_scale *s);
/* Up to max tick values within [lo, hi] into ticks; returns how many. */
int wb_scale_ticks(const wb_scale *s, double *ticks, int max);

/* Value axes switch to a log10 scale when the values span more than this factor
 * (the axis label then ends in ", log scale"). */
#define WB_SVG_LOG_SPAN 20.0
/* Whether values from smallest to largest (both > 0) want a log axis. */
int wb_svg_wants_log(double smallest, double largest);

/* Styles of the series: index i (wrapping) gives a fill/stroke colour, a marker
 * shape and a dash pattern; the colours step through distinct lightness. */
#define WB_SVG_NSTYLES 8

/* ---- horizontal bar chart with error bars ------------------------------------ */

typedef struct wb_bar {
    const char *label;  /* left of the bar (truncated with … to fit; full text on hover) */
    double value;       /* bar length; NAN: no bar, "no data" instead */
    double low, high;   /* error bar ends; NAN: none */
    int series;         /* style and legend entry: 0 solid dark, 1 light and hatched, ... */
    const char *note;   /* text after the bar (e.g. "12.3 ms"); NULL: none */
} wb_bar;

typedef struct wb_bar_chart {
    const char *id;                 /* unique in the document: prefixes pattern ids */
    const char *title;              /* the chart's accessible name (<title>) */
    const char *x_label;            /* axis label with its unit */
    const wb_bar *bars;
    int nbars;
    const char *const *series_names; /* legend entries, nseries of them (0: no legend) */
    int nseries;
    const char *error_label;        /* legend entry of the error bars; NULL: none drawn in legend */
    double reference;               /* a vertical reference line at this value; NAN: none */
    const char *reference_label;    /* its legend entry */
    double width;                   /* total width in px */
} wb_bar_chart;

/* Append the chart as one <svg> element. The value axis starts at 0, or is log10
 * from the smallest bar's power of ten when the bars span more than WB_SVG_LOG_SPAN. */
void wb_svg_bar_chart(wb_buf *out, const wb_bar_chart *c);

/* ---- scatter with labelled points ------------------------------------------- */

typedef struct wb_point {
    double x, y;        /* NAN in either: not drawn */
    const char *label;  /* short text next to the marker (a number keyed to a table) */
    const char *hover;  /* full description shown on hover (<title>); NULL: label */
    int series;
} wb_point;

typedef struct wb_scatter {
    const char *id;
    const char *title;
    const char *x_label, *y_label;
    const wb_point *points;
    int npoints;
    const char *const *series_names;
    int nseries;
    int symmetric;      /* axes centred on 0 with dashed zero lines (for z-scores) */
    const char *corner_note; /* text in the lower-left corner (e.g. "faster, less memory"); NULL: none */
    double width, height;
} wb_scatter;

/* Append the scatter as one <svg> element; labels are placed beside their
 * markers where they overlap nothing already drawn (each placed label's box is in
 * its data-box attribute: x0 y0 x1 y1), and a label with no free spot goes, with
 * its marker, to a numbered legend under the plot: labels never overlap. */
void wb_svg_scatter(wb_buf *out, const wb_scatter *c);

/* ---- line chart ------------------------------------------------------------- */

typedef struct wb_line {
    const char *name;   /* written at the line's right end (and on hover) */
    const double *x, *y; /* n points in x order; a NAN y breaks the line */
    int n;
    int series;
} wb_line;

typedef struct wb_line_chart {
    const char *id;
    const char *title;
    const char *x_label, *y_label;
    const wb_line *lines;
    int nlines;
    int x_log, y_log;   /* log10 axes; y is log anyway when the values span more than WB_SVG_LOG_SPAN,
                         * and a log axis's label ends in ", log scale" */
    double width, height;
} wb_line_chart;

/* Append the line chart as one <svg> element: x ticks at the data's x values
 * (the scan's values), a marker and a dash pattern per line, names at the ends. */
void wb_svg_line_chart(wb_buf *out, const wb_line_chart *c);

#endif
