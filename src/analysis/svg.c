/* Chart primitives of the HTML report (see svg.h): escaping, scales and ticks,
 * and the three chart kinds, each written as one well-formed <svg> element. */
#include "analysis/svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

#define FONT_PX 12.0
#define SMALL_PX 11.0
#define INK "#222222"
#define GRID "#dddddd"
#define AXIS "#444444"

/* ---- text --------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s that XML may hold (2..4), or 0 when
 * the bytes there are not one (util/utf8.h's rules) or are U+FFFE or U+FFFF,
 * which are not XML characters either. s[0] >= 0x80. */
static size_t utf8_len(const unsigned char *s, size_t left)
{
    size_t n = wb_utf8_sequence_len(s, left);
    if (n == 3 && s[0] == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
        return 0;
    return n;
}

/* The entities of the five characters XML reserves. */
static const char *const xml_entities[128] = {
    ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;", ['\''] = "&#39;",
};

#define REPLACEMENT_CHAR "\xEF\xBF\xBD"

void wb_xml_escape_n(wb_buf *out, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (xml_entities[c])
                wb_buf_puts(out, xml_entities[c]);
            else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                wb_buf_puts(out, REPLACEMENT_CHAR);
            else
                wb_buf_putc(out, (char)c);
            i++;
            continue;
        }
        size_t n = utf8_len(s + i, len - i);
        if (n == 0) {
            wb_buf_puts(out, REPLACEMENT_CHAR);
            i++;
        } else {
            wb_buf_append(out, s + i, n);
            i += n;
        }
    }
}

void wb_xml_escape(wb_buf *out, const char *text)
{
    if (text)
        wb_xml_escape_n(out, text, strlen(text));
}

/* Width of one ASCII character in ems, roughly DejaVu Sans / Liberation Sans
 * (the sans-serif fonts of Linux browsers), rounded up. */
static double char_em(unsigned char c)
{
    if (strchr("iljtfrI.,:;!|' ()[]", c))
        return 0.36;
    if (strchr("mwMW@%", c))
        return 0.92;
    if (c >= 'A' && c <= 'Z')
        return 0.72;
    if (c >= '0' && c <= '9')
        return 0.64;
    return 0.6;
}

double wb_svg_text_width(const char *text, double font_px)
{
    double em = 0;
    for (const unsigned char *s = (const unsigned char *)text; s && *s; s++) {
        if (*s < 0x80)
            em += char_em(*s);
        else if ((*s & 0xC0) != 0x80) /* the first byte of a multi-byte character */
            em += 0.7;
    }
    return em * font_px;
}

/* Append text escaped, cut to fit max_px at font_px with a trailing ellipsis. */
static void append_fitted(wb_buf *out, const char *text, double font_px, double max_px)
{
    if (wb_svg_text_width(text, font_px) <= max_px) {
        wb_xml_escape(out, text);
        return;
    }
    double budget = max_px - 0.8 * font_px; /* room for the ellipsis */
    size_t keep = 0;
    double em_px = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s;) {
        size_t n = 1;
        while ((s[n] & 0xC0) == 0x80)
            n++;
        double w = (*s < 0x80 ? char_em(*s) : 0.7) * font_px;
        if (em_px + w > budget)
            break;
        em_px += w;
        keep += n;
        s += n;
    }
    wb_xml_escape_n(out, text, keep);
    wb_buf_puts(out, "\xE2\x80\xA6"); /* … */
}

void wb_svg_number(char *out, size_t n, double v)
{
    static const struct {
        double at_least;
        double divisor;
        const char *suffix;
    } si[] = {
        {1e9, 1e9, "G"},
        {1e6, 1e6, "M"},
        {1e4, 1e3, "k"},
    };
    if (!isfinite(v)) {
        snprintf(out, n, "-");
        return;
    }
    if (fabs(v) < 1e-12) {
        snprintf(out, n, "0");
        return;
    }
    for (size_t i = 0; i < sizeof si / sizeof si[0]; i++)
        if (fabs(v) >= si[i].at_least) {
            snprintf(out, n, "%.3g%s", v / si[i].divisor, si[i].suffix);
            return;
        }
    snprintf(out, n, fabs(v) >= 1000 ? "%.4g" : "%.3g", v);
}

/* ---- scales ------------------------------------------------------------------- */

double wb_scale_px(const wb_scale *s, double v)
{
    double a = s->lo, b = s->hi;
    if (s->log) {
        a = log10(a);
        b = log10(b);
        v = v > 0 ? log10(v) : a - 1;
    }
    if (b == a)
        return (s->px_lo + s->px_hi) / 2;
    return s->px_lo + (v - a) / (b - a) * (s->px_hi - s->px_lo);
}

/* A round step (1, 2 or 5 times a power of ten) near raw. */
static double nice_step(double raw)
{
    if (!(raw > 0))
        return 1;
    double power = pow(10, floor(log10(raw)));
    double f = raw / power;
    double step = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return step * power;
}

void wb_scale_nice(wb_scale *s)
{
    if (!isfinite(s->lo) || !isfinite(s->hi)) {
        s->lo = s->log ? 1 : 0;
        s->hi = s->log ? 10 : 1;
    }
    if (s->log) {
        if (!(s->lo > 0))
            s->lo = s->hi > 0 ? s->hi / 10 : 1;
        if (!(s->hi > s->lo))
            s->hi = s->lo * 10;
        s->lo = pow(10, floor(log10(s->lo) + 1e-9));
        s->hi = pow(10, ceil(log10(s->hi) - 1e-9));
        if (s->hi <= s->lo)
            s->hi = s->lo * 10;
        return;
    }
    if (s->hi == s->lo) {
        double pad = s->lo == 0 ? 1 : fabs(s->lo) / 2;
        s->hi += pad;
        if (s->lo != 0)
            s->lo -= pad;
    }
    double step = nice_step((s->hi - s->lo) / 5);
    s->lo = floor(s->lo / step + 1e-9) * step;
    s->hi = ceil(s->hi / step - 1e-9) * step;
}

int wb_scale_ticks(const wb_scale *s, double *ticks, int max)
{
    int n = 0;
    if (s->log) {
        double decades = log10(s->hi) - log10(s->lo);
        /* Few decades: 1, 2 and 5 of each, so the axis still has a few labels. */
        static const double few[] = {1, 2, 5}, one[] = {1};
        const double *mult = decades <= 2.01 ? few : one;
        int nmult = decades <= 2.01 ? 3 : 1;
        for (double p = pow(10, floor(log10(s->lo) + 1e-9)); p <= s->hi * 1.0001 && n < max; p *= 10)
            for (int i = 0; i < nmult && n < max; i++) {
                double t = p * mult[i];
                if (t >= s->lo * 0.9999 && t <= s->hi * 1.0001)
                    ticks[n++] = t;
            }
        return n;
    }
    double step = nice_step((s->hi - s->lo) / 5);
    for (double t = ceil(s->lo / step - 1e-9) * step; t <= s->hi + step * 1e-6 && n < max; t += step)
        ticks[n++] = fabs(t) < step * 1e-9 ? 0 : t;
    return n;
}

int wb_svg_wants_log(double smallest, double largest)
{
    return smallest > 0 && isfinite(smallest) && isfinite(largest) && largest / smallest > WB_SVG_LOG_SPAN;
}

/* label with ", log scale" after it when log, into out. */
static const char *axis_label(char *out, size_t n, const char *label, int log)
{
    snprintf(out, n, "%s%s", label ? label : "", log ? ", log scale" : "");
    return out;
}

/* ---- styles ------------------------------------------------------------------- */

typedef enum marker_shape {
    MARK_CIRCLE,
    MARK_SQUARE,
    MARK_TRIANGLE,
    MARK_DIAMOND,
    MARK_TRIANGLE_DOWN,
    MARK_CROSS,
    MARK_PLUS,
    MARK_RING
} marker_shape;

/* Colours (dark, mid and light in turn, so neighbours differ in grey too) and
 * shapes. The Okabe–Ito hues, which also stay apart for colour-blind readers. */
static const struct {
    const char *colour;
    marker_shape marker;
} styles[WB_SVG_NSTYLES] = {
    {"#1f4e79", MARK_CIRCLE},   /* dark blue */
    {"#e69f00", MARK_SQUARE},   /* orange, light */
    {"#009e73", MARK_TRIANGLE}, /* green, mid */
    {"#7b2d8e", MARK_DIAMOND},  /* purple, dark */
    {"#56b4e9", MARK_TRIANGLE_DOWN}, /* sky blue, light */
    {"#c0392b", MARK_CROSS},    /* red, mid-dark */
    {"#555555", MARK_PLUS},     /* grey, dark */
    {"#b58900", MARK_RING},     /* ochre, mid */
};

/* Dash patterns of lines; style i uses (i + i / NSTYLES) % 4, so the ninth
 * line differs from the first in its dashes when its colour repeats. */
static const char *const dashes[] = {"", "7 3", "2 3", "9 3 2 3"};

static int style_index(int series)
{
    return series < 0 ? 0 : series % WB_SVG_NSTYLES;
}

static const char *style_dash(int series)
{
    int s = series < 0 ? 0 : series;
    return dashes[(s + s / WB_SVG_NSTYLES) % 4];
}

/* Bar fills: dark solid, light hatched, mid solid, light cross-hatched; the
 * outline colour keeps a light bar visible on white paper. */
static const struct {
    const char *fill;
    const char *ink;  /* outline and hatch lines */
    const char *hatch; /* NULL: solid; else the hatch's path in a 6x6 tile */
} bar_styles[] = {
    {"#1f4e79", "#1f4e79", NULL},
    {"#a6cee3", "#1f4e79", "M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5"},
    {"#e69f00", "#8a5f00", NULL},
    {"#dddddd", "#333333", "M0,0 L6,6 M0,6 L6,0"},
};
#define NBAR_STYLES ((int)(sizeof bar_styles / sizeof bar_styles[0]))

static int bar_style_index(int series)
{
    return series < 0 ? 0 : series % NBAR_STYLES;
}

/* The fill attribute value of a bar of this series (a pattern url when hatched). */
static void bar_fill(wb_buf *out, const char *id, int series)
{
    int i = bar_style_index(series);
    if (bar_styles[i].hatch)
        wb_buf_printf(out, "url(#%s-hatch%d)", id, i);
    else
        wb_buf_puts(out, bar_styles[i].fill);
}

/* <defs> with the hatch patterns of the bar styles, ids "<id>-hatch<i>". */
static void bar_patterns(wb_buf *out, const char *id)
{
    wb_buf_puts(out, "<defs>");
    for (int i = 0; i < NBAR_STYLES; i++)
        if (bar_styles[i].hatch)
            wb_buf_printf(out,
                          "<pattern id=\"%s-hatch%d\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
                          "<rect width=\"6\" height=\"6\" fill=\"%s\"/>"
                          "<path d=\"%s\" stroke=\"%s\" stroke-width=\"1.2\"/></pattern>",
                          id, i, bar_styles[i].fill, bar_styles[i].hatch, bar_styles[i].ink);
    wb_buf_puts(out, "</defs>");
}

/* A marker of series at (x, y) with half-size r. */
static void marker(wb_buf *out, int series, double x, double y, double r)
{
    int i = style_index(series);
    const char *c = styles[i].colour;
    switch (styles[i].marker) {
    case MARK_CIRCLE:
        wb_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"#000\" stroke-width=\"0.6\"/>",
                      x, y, r, c);
        break;
    case MARK_SQUARE:
        wb_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#000\" stroke-width=\"0.6\"/>",
                      x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8, c);
        break;
    case MARK_TRIANGLE:
        wb_buf_printf(out, "<path d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f Z\" fill=\"%s\" stroke=\"#000\" stroke-width=\"0.6\"/>",
                      x, y - r * 1.15, x + r * 1.1, y + r * 0.8, x - r * 1.1, y + r * 0.8, c);
        break;
    case MARK_DIAMOND:
        wb_buf_printf(out, "<path d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f L%.1f,%.1f Z\" fill=\"%s\" stroke=\"#000\" stroke-width=\"0.6\"/>",
                      x, y - r * 1.2, x + r * 1.2, y, x, y + r * 1.2, x - r * 1.2, y, c);
        break;
    case MARK_TRIANGLE_DOWN:
        wb_buf_printf(out, "<path d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f Z\" fill=\"%s\" stroke=\"#000\" stroke-width=\"0.6\"/>",
                      x, y + r * 1.15, x + r * 1.1, y - r * 0.8, x - r * 1.1, y - r * 0.8, c);
        break;
    case MARK_CROSS:
        wb_buf_printf(out, "<path d=\"M%.1f,%.1f L%.1f,%.1f M%.1f,%.1f L%.1f,%.1f\" stroke=\"%s\" stroke-width=\"2.2\"/>",
                      x - r, y - r, x + r, y + r, x - r, y + r, x + r, y - r, c);
        break;
    case MARK_PLUS:
        wb_buf_printf(out, "<path d=\"M%.1f,%.1f L%.1f,%.1f M%.1f,%.1f L%.1f,%.1f\" stroke=\"%s\" stroke-width=\"2.2\"/>",
                      x - r * 1.2, y, x + r * 1.2, y, x, y - r * 1.2, x, y + r * 1.2, c);
        break;
    case MARK_RING:
        wb_buf_printf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"2\"/>",
                      x, y, r * 0.9, c);
        break;
    }
}

/* ---- shared pieces ------------------------------------------------------------ */

static void svg_open(wb_buf *out, const char *title, double width, double height)
{
    wb_buf_printf(out,
                  "<svg width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                  "font-family=\"sans-serif\" font-size=\"%.0f\" fill=\"" INK "\"><title>",
                  width, height, width, height, FONT_PX);
    wb_xml_escape(out, title);
    wb_buf_puts(out, "</title>");
}

/* One text element; anchor is start, middle or end. */
static void text_at(wb_buf *out, double x, double y, const char *anchor, const char *extra, const char *text)
{
    wb_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s>", x, y, anchor, extra ? " " : "",
                  extra ? extra : "");
    wb_xml_escape(out, text);
    wb_buf_puts(out, "</text>");
}

/* A legend that flows left to right from (x, y), wrapping at max_x; each entry
 * is drawn by the callback (a swatch 22 px wide) followed by its name.
 * Returns the height used. */
typedef void (*swatch_fn)(wb_buf *out, const void *ctx, int entry, double x, double y);

static double legend(wb_buf *out, double x0, double y0, double max_x, const char *const *names, int n,
                     swatch_fn swatch, const void *ctx)
{
    double x = x0, y = y0 + 12;
    int drawn = 0;
    for (int i = 0; i < n; i++) {
        if (!names[i])
            continue;
        drawn++;
        double w = 26 + wb_svg_text_width(names[i], FONT_PX) + 16;
        if (x > x0 && x + w > max_x) {
            x = x0;
            y += 18;
        }
        swatch(out, ctx, i, x, y - 4);
        text_at(out, x + 26, y, "start", NULL, names[i]);
        x += w;
    }
    return drawn > 0 ? y - y0 + 10 : 0;
}

/* Horizontal axis at y from the scale's pixels: ticks, labels, the axis name. */
static void x_axis(wb_buf *out, const wb_scale *s, double y, double grid_top, const char *label,
                   const double *ticks, int nticks)
{
    for (int i = 0; i < nticks; i++) {
        double px = wb_scale_px(s, ticks[i]);
        char num[32];
        wb_svg_number(num, sizeof num, ticks[i]);
        wb_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" GRID "\"/>", px,
                      grid_top, px, y);
        wb_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" AXIS "\"/>", px, y,
                      px, y + 4);
        text_at(out, px, y + 16, "middle", NULL, num);
    }
    wb_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" AXIS "\"/>", s->px_lo, y,
                  s->px_hi, y);
    text_at(out, (s->px_lo + s->px_hi) / 2, y + 34, "middle", "class=\"axis-label\" font-weight=\"bold\"", label);
}

/* Vertical axis at x: ticks, labels, grid lines to grid_right, the rotated name. */
static void y_axis(wb_buf *out, const wb_scale *s, double x, double grid_right, const char *label,
                   const double *ticks, int nticks, double label_x)
{
    for (int i = 0; i < nticks; i++) {
        double py = wb_scale_px(s, ticks[i]);
        char num[32];
        wb_svg_number(num, sizeof num, ticks[i]);
        wb_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" GRID "\"/>", x, py,
                      grid_right, py);
        wb_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" AXIS "\"/>", x - 4,
                      py, x, py);
        text_at(out, x - 6, py + 4, "end", NULL, num);
    }
    wb_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"" AXIS "\"/>", x, s->px_lo,
                  x, s->px_hi);
    double mid = (s->px_lo + s->px_hi) / 2;
    char rotate[96];
    snprintf(rotate, sizeof rotate, "class=\"axis-label\" font-weight=\"bold\" transform=\"rotate(-90 %.1f %.1f)\"",
             label_x, mid);
    text_at(out, label_x, mid, "middle", rotate, label);
}

/* ---- bar chart ---------------------------------------------------------------- */

#define BAR_ROW_PX 20.0
#define BAR_PX 13.0

typedef struct bar_legend_ctx {
    const wb_bar_chart *c;
    int nseries;
} bar_legend_ctx;

/* Swatches of the bar legend: the series, then the error bar, then the reference. */
static void bar_swatch(wb_buf *out, const void *ctx_, int entry, double x, double y)
{
    const bar_legend_ctx *ctx = ctx_;
    if (entry < ctx->nseries) {
        wb_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"20\" height=\"11\" stroke=\"%s\" fill=\"", x,
                      y - 5.5, bar_styles[bar_style_index(entry)].ink);
        bar_fill(out, ctx->c->id, entry);
        wb_buf_puts(out, "\"/>");
    } else if (entry == ctx->nseries) {
        wb_buf_printf(out, "<path d=\"M%.1f,%.1f L%.1f,%.1f M%.1f,%.1f L%.1f,%.1f M%.1f,%.1f L%.1f,%.1f\" "
                           "stroke=\"#000\" stroke-width=\"1.3\"/>",
                      x + 2, y, x + 18, y, x + 2, y - 4, x + 2, y + 4, x + 18, y - 4, x + 18, y + 4);
    } else {
        wb_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b00000\" "
                           "stroke-width=\"2\" stroke-dasharray=\"5 3\"/>",
                      x + 10, y - 7, x + 10, y + 7);
    }
}

void wb_svg_bar_chart(wb_buf *out, const wb_bar_chart *c)
{
    double width = c->width > 300 ? c->width : 300;
    /* Column widths from the text they hold; the plot keeps at least 40%. */
    double label_w = 40, note_w = 0;
    for (int i = 0; i < c->nbars; i++) {
        double w = wb_svg_text_width(c->bars[i].label, FONT_PX) + 12;
        label_w = w > label_w ? w : label_w;
        const char *note = c->bars[i].note ? c->bars[i].note : "";
        w = wb_svg_text_width(note, SMALL_PX) + 10;
        note_w = w > note_w ? w : note_w;
    }
    if (label_w > width * 0.4)
        label_w = width * 0.4;
    if (note_w > width * 0.2)
        note_w = width * 0.2;

    /* The axis covers every bar and the error bars up to 2.5 times the longest
     * bar: the interval of two or three repeats can be ten times the mean, and
     * would squash every bar; an error bar cut at the axis ends in an arrow. */
    wb_scale x = {0, 0, label_w, width - note_w - 12, 0};
    double longest = 0, highest = 0, shortest = INFINITY;
    for (int i = 0; i < c->nbars; i++) {
        const wb_bar *b = &c->bars[i];
        if (isfinite(b->value) && b->value > longest)
            longest = b->value;
        if (isfinite(b->value) && b->value > 0 && b->value < shortest)
            shortest = b->value;
        if (isfinite(b->value) && isfinite(b->high) && b->high > highest)
            highest = b->high;
    }
    if (isfinite(c->reference) && c->reference > longest)
        longest = c->reference;
    if (isfinite(c->reference) && c->reference > 0 && c->reference < shortest)
        shortest = c->reference;
    x.hi = longest > 0 && highest > 2.5 * longest ? 2.5 * longest : (highest > longest ? highest : longest);
    /* Values more than WB_SVG_LOG_SPAN apart: on a linear axis the short bars
     * would be slivers, so the axis is log10 and says so; bars start at its left end. */
    x.log = wb_svg_wants_log(shortest, longest);
    if (x.log)
        x.lo = shortest;
    wb_scale_nice(&x);
    if (!x.log)
        x.lo = 0; /* bars always start at zero, even if nice() moved it */
    int cut = 0;
    for (int i = 0; i < c->nbars; i++)
        cut |= isfinite(c->bars[i].value) && isfinite(c->bars[i].high) && c->bars[i].high > x.hi;

    /* The legend first, to know its height. */
    const char *names[16];
    int nnames = 0;
    for (int i = 0; i < c->nseries && nnames < 14; i++)
        names[nnames++] = c->series_names[i];
    int nseries = nnames;
    char error_label[256];
    snprintf(error_label, sizeof error_label, "%s%s", c->error_label ? c->error_label : "",
             cut ? "; an arrow: it continues past the axis" : "");
    names[nnames++] = c->error_label ? error_label : NULL;
    names[nnames++] = isfinite(c->reference) ? c->reference_label : NULL;
    bar_legend_ctx ctx = {c, nseries};
    wb_buf legend_svg = WB_BUF_INIT;
    double legend_h = legend(&legend_svg, 8, 2, width - 8, names, nnames, bar_swatch, &ctx);
    if (legend_h > 0)
        legend_h += 4;

    double top = legend_h + 6;
    double bars_h = c->nbars * BAR_ROW_PX;
    double axis_y = top + bars_h + 4;
    double height = axis_y + 44;
    svg_open(out, c->title, width, height);
    bar_patterns(out, c->id);
    wb_buf_append(out, legend_svg.data ? legend_svg.data : "", legend_svg.len);
    wb_buf_free(&legend_svg);

    double ticks[24];
    int nticks = wb_scale_ticks(&x, ticks, 24);
    char x_label[256];
    x_axis(out, &x, axis_y, top - 2, axis_label(x_label, sizeof x_label, c->x_label, x.log), ticks, nticks);

    for (int i = 0; i < c->nbars; i++) {
        const wb_bar *b = &c->bars[i];
        double row_y = top + i * BAR_ROW_PX;
        double mid = row_y + BAR_ROW_PX / 2;
        int bs = bar_style_index(b->series);
        wb_buf_puts(out, "<g><title>");
        wb_xml_escape(out, b->label);
        if (b->note) {
            wb_buf_puts(out, ": ");
            wb_xml_escape(out, b->note);
        }
        wb_buf_puts(out, "</title>");
        wb_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", label_w - 8, mid + 4);
        append_fitted(out, b->label, FONT_PX, label_w - 12);
        wb_buf_puts(out, "</text>");
        double x0 = wb_scale_px(&x, x.lo);
        double end = x0;
        if (isfinite(b->value)) {
            end = wb_scale_px(&x, b->value);
            double w = end - x0 < 1 ? 1 : end - x0; /* a tiny value stays visible */
            wb_buf_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" stroke=\"%s\" stroke-width=\"0.8\" fill=\"",
                          x0, mid - BAR_PX / 2, w, BAR_PX, bar_styles[bs].ink);
            bar_fill(out, c->id, b->series);
            wb_buf_puts(out, "\"/>");
        }
        if (isfinite(b->value) && isfinite(b->low) && isfinite(b->high)) {
            /* A lower end below the axis (below zero: a wide interval of few runs;
             * or below a log axis's start) is cut there and drawn without its cap,
             * so the cut shows. */
            int beyond = b->high > x.hi, below = b->low < x.lo;
            double lo = wb_scale_px(&x, below ? x.lo : b->low), hi = wb_scale_px(&x, beyond ? x.hi : b->high);
            wb_buf_printf(out, "<path d=\"M%.1f,%.1f L%.1f,%.1f", lo, mid, hi, mid);
            if (!below)
                wb_buf_printf(out, " M%.1f,%.1f L%.1f,%.1f", lo, mid - 5, lo, mid + 5);
            if (beyond)
                wb_buf_printf(out, " M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f", hi - 6, mid - 4, hi, mid, hi - 6, mid + 4);
            else
                wb_buf_printf(out, " M%.1f,%.1f L%.1f,%.1f", hi, mid - 5, hi, mid + 5);
            wb_buf_puts(out, "\" stroke=\"#000\" stroke-width=\"1.3\" fill=\"none\"/>");
            if (hi > end)
                end = hi;
        }
        const char *note = b->note ? b->note : (isfinite(b->value) ? NULL : "no data");
        if (note) {
            wb_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\"%s>", end + 5, mid + 4, SMALL_PX,
                          isfinite(b->value) ? "" : " font-style=\"italic\"");
            append_fitted(out, note, SMALL_PX, width - end - 8);
            wb_buf_puts(out, "</text>");
        }
        wb_buf_puts(out, "</g>");
    }
    if (isfinite(c->reference)) {
        double px = wb_scale_px(&x, c->reference);
        wb_buf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b00000\" "
                           "stroke-width=\"2\" stroke-dasharray=\"5 3\"/>",
                      px, top - 2, px, axis_y);
    }
    wb_buf_puts(out, "</svg>");
}

/* ---- scatter ------------------------------------------------------------------ */

typedef struct box {
    double x0, y0, x1, y1;
} box;

static int boxes_overlap(const box *a, const box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Swatches of the scatter legend: the series' markers. */
static void point_swatch(wb_buf *out, const void *ctx, int entry, double x, double y)
{
    (void)ctx;
    marker(out, entry, x + 10, y, 5);
}

/* The points whose labels found no free spot, for the numbered legend under the plot. */
typedef struct unplaced_ctx {
    const wb_point *points;
    const int *index; /* into points */
} unplaced_ctx;

/* Swatches of the numbered legend: the marker of the point the number belongs to. */
static void unplaced_swatch(wb_buf *out, const void *ctx_, int entry, double x, double y)
{
    const unplaced_ctx *ctx = ctx_;
    marker(out, ctx->points[ctx->index[entry]].series, x + 10, y, 5);
}

void wb_svg_scatter(wb_buf *out, const wb_scatter *c)
{
    double width = c->width > 300 ? c->width : 300, height = c->height > 240 ? c->height : 240;
    wb_buf legend_svg = WB_BUF_INIT;
    double legend_h = legend(&legend_svg, 60, 2, width - 8, c->series_names, c->nseries, point_swatch, NULL);
    double top = legend_h + 10, left = 64, right = width - 16, bottom = height - 46;

    wb_scale x = {NAN, NAN, left, right, 0}, y = {NAN, NAN, bottom, top, 0};
    double max_x = 0, max_y = 0;
    for (int i = 0; i < c->npoints; i++) {
        const wb_point *p = &c->points[i];
        if (!isfinite(p->x) || !isfinite(p->y))
            continue;
        max_x = fabs(p->x) > max_x ? fabs(p->x) : max_x;
        max_y = fabs(p->y) > max_y ? fabs(p->y) : max_y;
        x.lo = isfinite(x.lo) && x.lo < p->x ? x.lo : p->x;
        x.hi = isfinite(x.hi) && x.hi > p->x ? x.hi : p->x;
        y.lo = isfinite(y.lo) && y.lo < p->y ? y.lo : p->y;
        y.hi = isfinite(y.hi) && y.hi > p->y ? y.hi : p->y;
    }
    if (c->symmetric) {
        /* z-scores: 0 in the middle, at least -1..1, with room for the labels. */
        max_x = max_x < 1 ? 1 : max_x * 1.1;
        max_y = max_y < 1 ? 1 : max_y * 1.1;
        x.lo = -max_x;
        x.hi = max_x;
        y.lo = -max_y;
        y.hi = max_y;
    }
    wb_scale_nice(&x);
    wb_scale_nice(&y);

    /* The plot goes into body first: the numbered legend of crowded points, under
     * the axis, decides the height of the <svg>. */
    wb_buf body = WB_BUF_INIT;
    wb_buf_append(&body, legend_svg.data ? legend_svg.data : "", legend_svg.len);
    wb_buf_free(&legend_svg);
    double ticks[24];
    int nticks = wb_scale_ticks(&x, ticks, 24);
    x_axis(&body, &x, bottom, top, c->x_label, ticks, nticks);
    nticks = wb_scale_ticks(&y, ticks, 24);
    y_axis(&body, &y, left, right, c->y_label, ticks, nticks, 16);
    if (c->symmetric) {
        double zx = wb_scale_px(&x, 0), zy = wb_scale_px(&y, 0);
        wb_buf_printf(&body, "<path d=\"M%.1f,%.1f L%.1f,%.1f M%.1f,%.1f L%.1f,%.1f\" stroke=\"#888888\" "
                             "stroke-dasharray=\"4 3\"/>",
                      zx, top, zx, bottom, left, zy, right, zy);
    }
    if (c->corner_note)
        text_at(&body, left + 6, bottom - 8, "start", "font-size=\"11\" fill=\"#555555\" font-style=\"italic\"",
                c->corner_note);

    /* Markers first (so labels avoid every one of them), then labels placed
     * greedily at the first free spot around their marker. */
    box *taken = wb_xmalloc(sizeof *taken * (size_t)(2 * c->npoints + 2));
    int *unplaced = wb_xmalloc(sizeof *unplaced * (size_t)(c->npoints + 1));
    const char **unplaced_names = wb_xmalloc(sizeof *unplaced_names * (size_t)(c->npoints + 1));
    int ntaken = 0, nunplaced = 0;
    if (c->corner_note)
        taken[ntaken++] = (box){left, bottom - 22, left + 12 + wb_svg_text_width(c->corner_note, SMALL_PX), bottom};
    for (int i = 0; i < c->npoints; i++) {
        const wb_point *p = &c->points[i];
        if (!isfinite(p->x) || !isfinite(p->y))
            continue;
        double px = wb_scale_px(&x, p->x), py = wb_scale_px(&y, p->y);
        wb_buf_puts(&body, "<g><title>");
        wb_xml_escape(&body, p->hover ? p->hover : p->label);
        wb_buf_puts(&body, "</title>");
        marker(&body, p->series, px, py, 5);
        wb_buf_puts(&body, "</g>");
        taken[ntaken++] = (box){px - 6, py - 6, px + 6, py + 6};
    }
    /* Offsets of the label's anchor point from the marker: right, left, above,
     * below, the diagonals, then the same further out. */
    static const struct {
        double dx, dy;
        int anchor_end;
    } spots[] = {
        {8, 4, 0},    {-8, 4, 1},   {0, -9, 0},   {0, 17, 0},   {7, -7, 0},  {-7, -7, 1},
        {7, 15, 0},   {-7, 15, 1},  {16, 4, 0},   {-16, 4, 1},  {0, -20, 0}, {0, 28, 0},
    };
    for (int i = 0; i < c->npoints; i++) {
        const wb_point *p = &c->points[i];
        if (!isfinite(p->x) || !isfinite(p->y) || !p->label)
            continue;
        double px = wb_scale_px(&x, p->x), py = wb_scale_px(&y, p->y);
        double w = wb_svg_text_width(p->label, SMALL_PX);
        int found = 0;
        for (size_t s = 0; s < sizeof spots / sizeof spots[0] && !found; s++) {
            double ax = px + spots[s].dx, ay = py + spots[s].dy;
            if (spots[s].dx == 0)
                ax -= w / 2; /* centred above or below */
            else if (spots[s].anchor_end)
                ax -= w;
            box b = {ax - 1, ay - 10, ax + w + 1, ay + 2};
            if (b.x0 < left || b.x1 > right || b.y0 < top || b.y1 > bottom)
                continue;
            int clear = 1;
            for (int k = 0; k < ntaken && clear; k++)
                clear = !boxes_overlap(&b, &taken[k]);
            if (clear) {
                found = 1;
                taken[ntaken++] = b;
                /* the label's box, for readers (and tests) checking that none intersect */
                wb_buf_printf(&body,
                              "<text class=\"point-label\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" "
                              "font-weight=\"bold\" data-box=\"%.1f %.1f %.1f %.1f\">",
                              ax, ay, SMALL_PX, b.x0, b.y0, b.x1, b.y1);
                wb_xml_escape(&body, p->label);
                wb_buf_puts(&body, "</text>");
            }
        }
        if (!found) { /* crowded everywhere: the number goes to the legend under the plot */
            unplaced_names[nunplaced] = p->label;
            unplaced[nunplaced++] = i;
        }
    }
    if (nunplaced) {
        double legend_y = height - 8;
        text_at(&body, 8, legend_y + 12, "start", "font-size=\"11\" fill=\"#555555\"",
                "Too crowded to label in the plot:");
        unplaced_ctx ctx = {c->points, unplaced};
        double used = legend(&body, 200, legend_y, width - 8, unplaced_names, nunplaced, unplaced_swatch, &ctx);
        height = legend_y + used + 6;
    }
    svg_open(out, c->title, width, height);
    wb_buf_append(out, body.data ? body.data : "", body.len);
    wb_buf_puts(out, "</svg>");
    wb_buf_free(&body);
    free(unplaced_names);
    free(unplaced);
    free(taken);
}

/* ---- line chart --------------------------------------------------------------- */

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct end_label {
    int line;
    double want_y; /* the line's last point */
    double y;      /* where the label goes */
} end_label;

static int compare_end_label(const void *a, const void *b)
{
    const end_label *x = a, *y = b;
    return (x->want_y > y->want_y) - (x->want_y < y->want_y);
}

/* Spread labels (sorted by want_y) at least gap apart within [top, bottom]. */
static void spread_labels(end_label *labels, int n, double gap, double top, double bottom)
{
    for (int i = 0; i < n; i++) {
        labels[i].y = labels[i].want_y;
        if (i > 0 && labels[i].y < labels[i - 1].y + gap)
            labels[i].y = labels[i - 1].y + gap;
    }
    for (int i = n - 1; i >= 0; i--) {
        double limit = i == n - 1 ? bottom : labels[i + 1].y - gap;
        if (labels[i].y > limit)
            labels[i].y = limit;
    }
    for (int i = 0; i < n; i++)
        if (labels[i].y < top)
            labels[i].y = top; /* more labels than room: they overlap at the top rather than leave the chart */
}

void wb_svg_line_chart(wb_buf *out, const wb_line_chart *c)
{
    double width = c->width > 360 ? c->width : 360, height = c->height > 240 ? c->height : 240;
    double name_w = 0;
    int npoints = 0;
    for (int i = 0; i < c->nlines; i++) {
        double w = wb_svg_text_width(c->lines[i].name, SMALL_PX);
        name_w = w > name_w ? w : name_w;
        npoints += c->lines[i].n;
    }
    name_w += 34; /* leader, marker and gap */
    if (name_w > width * 0.35)
        name_w = width * 0.35;
    double left = 70, right = width - name_w - 8, top = 12, bottom = height - 46;

    /* The y axis is log10 when asked for, or when the values span more than WB_SVG_LOG_SPAN. */
    double y_smallest = INFINITY, y_largest = 0;
    for (int i = 0; i < c->nlines; i++)
        for (int k = 0; k < c->lines[i].n; k++) {
            double yv = c->lines[i].y[k];
            if (isfinite(yv) && yv > 0) {
                y_smallest = yv < y_smallest ? yv : y_smallest;
                y_largest = yv > y_largest ? yv : y_largest;
            }
        }
    int y_log = c->y_log || wb_svg_wants_log(y_smallest, y_largest);

    /* The distinct x values: the scan's values, each one a tick. */
    double *xs = wb_xmalloc(sizeof *xs * (size_t)(npoints + 1));
    int nxs = 0;
    wb_scale y = {NAN, NAN, bottom, top, y_log};
    for (int i = 0; i < c->nlines; i++)
        for (int k = 0; k < c->lines[i].n; k++) {
            double xv = c->lines[i].x[k], yv = c->lines[i].y[k];
            if (isfinite(xv) && (!c->x_log || xv > 0))
                xs[nxs++] = xv;
            if (isfinite(yv) && (!y_log || yv > 0)) {
                y.lo = isfinite(y.lo) && y.lo < yv ? y.lo : yv;
                y.hi = isfinite(y.hi) && y.hi > yv ? y.hi : yv;
            }
        }
    qsort(xs, (size_t)nxs, sizeof *xs, compare_double);
    int ndistinct = 0;
    for (int i = 0; i < nxs; i++)
        if (ndistinct == 0 || xs[i] != xs[ndistinct - 1])
            xs[ndistinct++] = xs[i];
    wb_scale x = {ndistinct ? xs[0] : 1, ndistinct ? xs[ndistinct - 1] : 10, left, right, c->x_log};
    if (x.hi == x.lo) {
        x.lo = c->x_log ? x.lo / 2 : x.lo - 1;
        x.hi = c->x_log ? x.hi * 2 : x.hi + 1;
    }
    /* A little room so the end markers do not sit on the frame. */
    if (c->x_log) {
        double pad = pow(x.hi / x.lo, 0.04);
        x.lo /= pad;
        x.hi *= pad;
    } else {
        double pad = (x.hi - x.lo) * 0.04;
        x.lo -= pad;
        x.hi += pad;
    }
    if (!y_log && isfinite(y.lo) && y.lo > 0)
        y.lo = 0; /* a rate axis from zero, so a change is not exaggerated */
    wb_scale_nice(&y);

    svg_open(out, c->title, width, height);
    double ticks[24];
    int nticks = 0;
    if (ndistinct <= 12) {
        memcpy(ticks, xs, sizeof *xs * (size_t)ndistinct);
        nticks = ndistinct;
    } else {
        wb_scale nice = x;
        wb_scale_nice(&nice);
        nticks = wb_scale_ticks(&nice, ticks, 24);
        int kept = 0;
        for (int i = 0; i < nticks; i++)
            if (ticks[i] >= x.lo && ticks[i] <= x.hi)
                ticks[kept++] = ticks[i];
        nticks = kept;
    }
    free(xs);
    char x_label[256], y_label[256];
    x_axis(out, &x, bottom, top, axis_label(x_label, sizeof x_label, c->x_label, c->x_log), ticks, nticks);
    nticks = wb_scale_ticks(&y, ticks, 24);
    y_axis(out, &y, left, right, axis_label(y_label, sizeof y_label, c->y_label, y_log), ticks, nticks, 16);

    end_label *labels = wb_xmalloc(sizeof *labels * (size_t)(c->nlines + 1));
    int nlabels = 0;
    for (int i = 0; i < c->nlines; i++) {
        const wb_line *l = &c->lines[i];
        int si = style_index(l->series);
        wb_buf_puts(out, "<g><title>");
        wb_xml_escape(out, l->name);
        wb_buf_puts(out, "</title>");
        /* One path; a NAN breaks it into pieces (a failed point is not bridged). */
        wb_buf_printf(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\"", styles[si].colour);
        if (*style_dash(l->series))
            wb_buf_printf(out, " stroke-dasharray=\"%s\"", style_dash(l->series));
        wb_buf_puts(out, " d=\"");
        int pen_down = 0, last = -1;
        for (int k = 0; k < l->n; k++) {
            if (!isfinite(l->y[k]) || (y_log && !(l->y[k] > 0)) || !isfinite(l->x[k])) {
                pen_down = 0;
                continue;
            }
            wb_buf_printf(out, "%s%.1f,%.1f ", pen_down ? "L" : "M", wb_scale_px(&x, l->x[k]),
                          wb_scale_px(&y, l->y[k]));
            pen_down = 1;
            last = k;
        }
        wb_buf_puts(out, "\"/>");
        for (int k = 0; k < l->n; k++) {
            if (!isfinite(l->y[k]) || (y_log && !(l->y[k] > 0)) || !isfinite(l->x[k]))
                continue;
            char xv[32], yv[32];
            wb_svg_number(xv, sizeof xv, l->x[k]);
            wb_svg_number(yv, sizeof yv, l->y[k]);
            wb_buf_puts(out, "<g><title>");
            wb_xml_escape(out, l->name);
            wb_buf_printf(out, ": %s at %s</title>", yv, xv);
            marker(out, l->series, wb_scale_px(&x, l->x[k]), wb_scale_px(&y, l->y[k]), 4);
            wb_buf_puts(out, "</g>");
        }
        wb_buf_puts(out, "</g>");
        if (last >= 0)
            labels[nlabels++] = (end_label){i, wb_scale_px(&y, l->y[last]), 0};
    }
    qsort(labels, (size_t)nlabels, sizeof *labels, compare_end_label);
    spread_labels(labels, nlabels, 13, top + 4, bottom);
    for (int i = 0; i < nlabels; i++) {
        const wb_line *l = &c->lines[labels[i].line];
        int last = l->n - 1;
        while (last > 0 && !(isfinite(l->y[last]) && (!y_log || l->y[last] > 0)))
            last--;
        double lx = wb_scale_px(&x, l->x[last]);
        double label_x = right + 8;
        wb_buf_printf(out, "<path d=\"M%.1f,%.1f L%.1f,%.1f\" stroke=\"#999999\" stroke-width=\"0.8\"/>", lx + 5,
                      labels[i].want_y, label_x, labels[i].y);
        marker(out, l->series, label_x + 6, labels[i].y, 4);
        wb_buf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\">", label_x + 14, labels[i].y + 4,
                      SMALL_PX);
        append_fitted(out, l->name, SMALL_PX, width - label_x - 16);
        wb_buf_puts(out, "</text>");
    }
    free(labels);
    wb_buf_puts(out, "</svg>");
}
