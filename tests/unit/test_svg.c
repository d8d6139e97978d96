/* Unit tests of the report's chart primitives (analysis/svg.h) and its default
 * path: XML escaping of hostile data, number labels, scales and ticks, and what
 * each chart writes for ordinary and degenerate input (no data, NAN, one point). */
#include <math.h>
#include <string.h>

#include "analysis/report.h"
#include "analysis/svg.h"
#include "check.h"

static const char *escaped(wb_buf *b, const char *text, size_t len)
{
    wb_buf_reset(b);
    wb_xml_escape_n(b, text, len);
    return wb_buf_str(b);
}

static void test_escape(void)
{
    wb_buf b = WB_BUF_INIT;
    const char hostile[] = "<a href=\"x\">O'Brien & co</a>";
    CHECK_STR(escaped(&b, hostile, strlen(hostile)),
              "&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; co&lt;/a&gt;");
    /* Tab, LF and CR are XML characters; other control characters are not. */
    CHECK_STR(escaped(&b, "a\tb\nc\rd\x01" "e\x7f", 10), "a\tb\nc\rd\xEF\xBF\xBD" "e\x7f");
    /* A NUL inside the given length is replaced, not a terminator. */
    CHECK_STR(escaped(&b, "x\0y", 3), "x\xEF\xBF\xBDy");
    /* Valid UTF-8 passes (é, €, 😀); invalid bytes become U+FFFD one by one. */
    CHECK_STR(escaped(&b, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 9), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    CHECK_STR(escaped(&b, "\xFF" "a", 2), "\xEF\xBF\xBD" "a");
    CHECK_STR(escaped(&b, "\xC0\xAF", 2), "\xEF\xBF\xBD\xEF\xBF\xBD");           /* overlong '/' */
    CHECK_STR(escaped(&b, "\xED\xA0\x80", 3), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* a surrogate */
    CHECK_STR(escaped(&b, "\xE2\x82", 2), "\xEF\xBF\xBD\xEF\xBF\xBD");           /* cut short */
    CHECK_STR(escaped(&b, "\xEF\xBF\xBF", 3), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* U+FFFF: not XML */
    wb_buf_reset(&b);
    wb_xml_escape(&b, NULL);
    CHECK_STR(wb_buf_str(&b), "");
    wb_buf_free(&b);
}

static void test_numbers(void)
{
    /* Expected strings: printf %.3g of the value (divided by 1e3/1e6/1e9 with
     * k/M/G from 10,000 up), %.4g between 1,000 and 10,000. */
    static const struct {
        double v;
        const char *text;
    } cases[] = {
        {0, "0"},         {1e-15, "0"},      {0.5, "0.5"},     {0.30000000000000004, "0.3"},
        {12, "12"},       {999, "999"},      {2500, "2500"},   {9999, "9999"},
        {12500, "12.5k"}, {200000, "200k"},  {1234567, "1.23M"}, {3e9, "3G"},
        {-2500, "-2500"}, {-12500, "-12.5k"}, {NAN, "-"},      {INFINITY, "-"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32];
        wb_svg_number(out, sizeof out, cases[i].v);
        CHECK_STR(out, cases[i].text);
    }
}

static void test_scales(void)
{
    /* Linear: [0, 7.3] widens to the step-2 grid [0, 8]: ticks 0 2 4 6 8. */
    wb_scale s = {0, 7.3, 100, 500, 0};
    wb_scale_nice(&s);
    CHECK(s.lo == 0 && s.hi == 8);
    double t[24];
    int n = wb_scale_ticks(&s, t, 24);
    CHECK_INT(n, 5);
    CHECK(n == 5 && t[0] == 0 && t[4] == 8);
    CHECK(fabs(wb_scale_px(&s, 4) - 300) < 1e-9); /* the middle of 100..500 */
    /* A range of one value gets room around it instead of dividing by zero. */
    wb_scale one = {5, 5, 0, 100, 0};
    wb_scale_nice(&one);
    CHECK(one.lo < 5 && one.hi > 5);
    /* Log: [150, 42000] widens to whole decades [100, 100000]; three decades
     * give ticks at the powers of ten only. */
    wb_scale lg = {150, 42000, 0, 300, 1};
    wb_scale_nice(&lg);
    CHECK(fabs(lg.lo - 100) < 1e-9 && fabs(lg.hi - 100000) < 1e-6);
    n = wb_scale_ticks(&lg, t, 24);
    CHECK_INT(n, 4);
    CHECK(fabs(wb_scale_px(&lg, 1000) - 100) < 1e-9); /* one decade of three */
    /* Two decades or fewer: 1, 2 and 5 of each: 100 200 500 1000 2000 5000 10000. */
    wb_scale few = {100, 10000, 0, 200, 1};
    CHECK_INT(wb_scale_ticks(&few, t, 24), 7);
    /* Unknown ends (no data) give a usable default range. */
    wb_scale none = {NAN, NAN, 0, 100, 0};
    wb_scale_nice(&none);
    CHECK(isfinite(none.lo) && isfinite(none.hi) && none.hi > none.lo);
}

static void test_text_width(void)
{
    CHECK(wb_svg_text_width("", 12) == 0);
    CHECK(wb_svg_text_width(NULL, 12) == 0);
    /* Wider letters are estimated wider; a multi-byte character counts once. */
    CHECK(wb_svg_text_width("mmmm", 12) > wb_svg_text_width("iiii", 12));
    CHECK(wb_svg_text_width("\xC3\xA9", 12) < 2 * wb_svg_text_width("e", 12));
}

static size_t count(const char *haystack, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_bar_chart(void)
{
    static const char *const series[] = {"insert", "update"};
    wb_bar bars[] = {
        {"fast<&>", 2.0, 1.5, 2.5, 0, "2 ms"},
        {"noisy", 3.0, -4.0, 40.0, 1, "3 ms"},   /* interval past 2.5x the longest bar: cut */
        {"failed \"one\"", NAN, NAN, NAN, 0, NULL},
    };
    wb_bar_chart c = {"t1", "title & more", "duration (ms)", bars, 3, series, 2, "95% CI", NAN, NULL, 600};
    wb_buf b = WB_BUF_INIT;
    wb_svg_bar_chart(&b, &c);
    const char *svg = wb_buf_str(&b);
    CHECK(strncmp(svg, "<svg ", 5) == 0);
    CHECK(strcmp(svg + b.len - 6, "</svg>") == 0);
    CHECK_CONTAINS(svg, "<title>title &amp; more</title>");
    CHECK_CONTAINS(svg, "fast&lt;&amp;&gt;");
    CHECK_CONTAINS(svg, "failed &quot;one&quot;");
    CHECK(!strstr(svg, "fast<&>") && !strstr(svg, "\"one\""));
    CHECK_CONTAINS(svg, ">no data</text>");
    CHECK_CONTAINS(svg, "duration (ms)");
    CHECK_CONTAINS(svg, "an arrow: it continues past the axis"); /* the cut interval is said in the legend */
    CHECK_CONTAINS(svg, "url(#t1-hatch1)");                      /* update bars are hatched */
    CHECK_CONTAINS(svg, "<pattern id=\"t1-hatch1\"");
    CHECK(!strstr(svg, "#b00000")); /* no reference line asked for */
    CHECK_INT(count(svg, "<rect x="), 2 + 2); /* two bars and two legend swatches */

    /* Bars more than 20x apart: a log axis that says so, bars from its left end. */
    wb_buf_reset(&b);
    wb_bar spread[] = {{"quick", 2.0, NAN, NAN, 0, NULL}, {"slow", 300.0, 250.0, 350.0, 0, NULL}};
    wb_bar_chart wide = {"t3", "spread", "duration (ms)", spread, 2, NULL, 0, NULL, NAN, NULL, 600};
    wb_svg_bar_chart(&b, &wide);
    svg = wb_buf_str(&b);
    CHECK_CONTAINS(svg, "duration (ms), log scale");
    CHECK_CONTAINS(svg, ">1</text>"); /* ticks at powers of ten: 1 .. 1000 */
    CHECK_CONTAINS(svg, ">1000</text>");
    /* within 20x: linear from zero */
    wb_buf_reset(&b);
    spread[1].value = 30.0;
    spread[1].low = spread[1].high = NAN;
    wb_svg_bar_chart(&b, &wide);
    svg = wb_buf_str(&b);
    CHECK(!strstr(svg, "log scale"));
    CHECK_CONTAINS(svg, ">0</text>");

    /* A reference line with its legend entry; no bars at all still draws an axis. */
    wb_buf_reset(&b);
    wb_bar_chart empty = {"t2", "empty", "share (%)", NULL, 0, NULL, 0, NULL, 100.0, "reference = 100%", 400};
    wb_svg_bar_chart(&b, &empty);
    svg = wb_buf_str(&b);
    CHECK_CONTAINS(svg, "reference = 100%");
    CHECK_CONTAINS(svg, "stroke=\"#b00000\"");
    CHECK_CONTAINS(svg, ">100</text>");
    wb_buf_free(&b);
}

static void test_scatter(void)
{
    static const char *const series[] = {"insert", "update"};
    /* Fifteen points at one spot: the labels that find a free spot around it are
     * drawn there, the others go to the numbered legend under the plot; none overlap. */
    wb_point pts[16];
    static const char *const numbers[] = {"p1", "p2",  "p3",  "p4",  "p5",  "p6",  "p7", "p8",
                                          "p9", "p10", "p11", "p12", "p13", "p14", "p15"};
    for (int i = 0; i < 15; i++)
        pts[i] = (wb_point){0.5, 0.5, numbers[i], i == 0 ? "one & only" : NULL, i % 2};
    pts[15] = (wb_point){NAN, 1, "p16", NULL, 0};
    wb_scatter c = {"s1", "z", "z_duration", "z_memory", pts, 16, series, 2, 1, "lower left: better", 500, 400};
    wb_buf b = WB_BUF_INIT;
    wb_svg_scatter(&b, &c);
    const char *svg = wb_buf_str(&b);
    CHECK_CONTAINS(svg, "<title>one &amp; only</title>");
    CHECK_CONTAINS(svg, "Too crowded to label in the plot:");
    /* every label once, in the plot or in the legend */
    for (int i = 0; i < 15; i++) {
        char text[16];
        snprintf(text, sizeof text, ">%s</text>", numbers[i]);
        CHECK_INT(count(svg, text), 1);
    }
    /* the placed labels' boxes do not intersect */
    double boxes[16][4];
    int nboxes = 0;
    for (const char *at = strstr(svg, "data-box=\""); at && nboxes < 16; at = strstr(at + 1, "data-box=\"")) {
        CHECK_INT(sscanf(at, "data-box=\"%lf %lf %lf %lf\"", &boxes[nboxes][0], &boxes[nboxes][1], &boxes[nboxes][2],
                         &boxes[nboxes][3]),
                  4);
        nboxes++;
    }
    CHECK(nboxes > 0 && nboxes < 15);
    for (int i = 0; i < nboxes; i++)
        for (int k = i + 1; k < nboxes; k++)
            CHECK(!(boxes[i][0] < boxes[k][2] && boxes[k][0] < boxes[i][2] && boxes[i][1] < boxes[k][3] &&
                    boxes[k][1] < boxes[i][3]));
    CHECK(!strstr(svg, ">p16</text>")); /* a NAN point is left out */
    CHECK_CONTAINS(svg, "stroke-dasharray=\"4 3\""); /* the zero lines */
    CHECK_CONTAINS(svg, "lower left: better");
    CHECK_CONTAINS(svg, ">-1</text>"); /* symmetric axes reach at least -1..1 */
    wb_buf_free(&b);
}

static void test_line_chart(void)
{
    double x[] = {100, 1000, 10000}, y1[] = {5000, NAN, 7000}, y2[] = {200, 300, 400};
    wb_line lines[] = {{"a<b", x, y1, 3, 0}, {"second", x, y2, 3, 9}};
    wb_line_chart c = {"l1", "scaling", "rows", "rows/s", lines, 2, 1, 1, 700, 360};
    wb_buf b = WB_BUF_INIT;
    wb_svg_line_chart(&b, &c);
    const char *svg = wb_buf_str(&b);
    CHECK_CONTAINS(svg, "a&lt;b");
    /* The x ticks are the data's own values. */
    CHECK_CONTAINS(svg, ">100</text>");
    CHECK_CONTAINS(svg, ">1000</text>");
    CHECK_CONTAINS(svg, ">10k</text>");
    /* The NAN breaks the first line: its path moves twice (M ... M). */
    const char *first = strstr(svg, "<path fill=\"none\"");
    CHECK(first != NULL);
    if (first) {
        const char *d = strstr(first, " d=\"");
        const char *end = d ? strchr(d + 4, '"') : NULL;
        size_t moves = 0;
        for (const char *p = d; p && end && p < end; p++)
            moves += *p == 'M';
        CHECK_INT(moves, 2);
    }
    CHECK_CONTAINS(svg, "rows/s, log scale"); /* asked for; x too */
    CHECK_CONTAINS(svg, "rows, log scale");
    /* Not asked for, but 200 .. 7000 spans more than 20x: log anyway, and said */
    wb_buf_reset(&b);
    c.x_log = c.y_log = 0;
    wb_svg_line_chart(&b, &c);
    svg = wb_buf_str(&b);
    CHECK_CONTAINS(svg, "rows/s, log scale");
    CHECK(!strstr(svg, "rows, log scale"));
    wb_buf_reset(&b);
    c.x_log = c.y_log = 1;
    wb_svg_line_chart(&b, &c);
    svg = wb_buf_str(&b);
    /* Series 9 repeats series 1's colour, so it gets another dash pattern than series 1 would. */
    CHECK_CONTAINS(svg, "stroke-dasharray=\"2 3\"");
    wb_buf_free(&b);
}

static void test_default_path(void)
{
    wb_run_info runs[1];
    memset(runs, 0, sizeof runs);
    wb_run_set set = WB_RUN_SET_INIT;
    set.runs = runs;
    set.nruns = 1;
    char path[256];
    static const struct {
        const char *dir, *expected;
    } cases[] = {
        {"results/20261122T031500Z-7f3a", "results/report.html"},
        {"results/20261122T031500Z-7f3a/", "results/report.html"},
        {"/abs/r/run", "/abs/r/report.html"},
        {"run", "report.html"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(runs[0].dir, sizeof runs[0].dir, "%s", cases[i].dir);
        wb_report_default_path(&set, path, sizeof path);
        CHECK_STR(path, cases[i].expected);
    }
}

int main(void)
{
    test_escape();
    test_numbers();
    test_scales();
    test_text_width();
    test_bar_chart();
    test_scatter();
    test_line_chart();
    test_default_path();
    return check_finish();
}
