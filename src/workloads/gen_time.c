/* Civil dates and times for the time generator (gen_internal.h): days since
 * 1970-01-01 to and from a date of the proleptic Gregorian calendar (Howard
 * Hinnant's algorithms, exact for any year), the canonical text of a date, a
 * timestamp and a timestamptz (docs/WORKLOADS.md, "Types"), and the times a
 * workload file writes. */
#include <stdio.h>
#include <string.h>

#include "workloads/gen_internal.h"

#define SECONDS_PER_DAY 86400

/* Floor division, for days before 1970. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t wb_days_from_civil(int64_t year, int month, int day)
{
    year -= month <= 2;
    int64_t era = floor_div(year, 400);
    int64_t year_of_era = year - era * 400;                                      /* 0..399 */
    int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1; /* 0..365 */
    int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;
}

void wb_civil_from_days(int64_t days, int64_t *year, int *month, int *day)
{
    days += 719468;
    int64_t era = floor_div(days, 146097);
    int64_t day_of_era = days - era * 146097;                                              /* 0..146096 */
    int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t mp = (5 * day_of_year + 2) / 153;
    *day = (int)(day_of_year - (153 * mp + 2) / 5 + 1);
    *month = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = year_of_era + era * 400 + (*month <= 2);
}

/* Two digits of v (0..99). */
static char *put2(char *p, int v)
{
    *p++ = (char)('0' + v / 10);
    *p++ = (char)('0' + v % 10);
    return p;
}

size_t wb_format_time(wb_sql_type type, int64_t units, char *out)
{
    int64_t days = type == WB_SQL_DATE ? units : floor_div(units, SECONDS_PER_DAY);
    int64_t year;
    int month, day;
    wb_civil_from_days(days, &year, &month, &day);
    char *p = out;
    p = put2(p, (int)(year / 100));
    p = put2(p, (int)(year % 100));
    *p++ = '-';
    p = put2(p, month);
    *p++ = '-';
    p = put2(p, day);
    if (type == WB_SQL_DATE)
        return (size_t)(p - out);
    int64_t second = units - days * SECONDS_PER_DAY;
    *p++ = ' ';
    p = put2(p, (int)(second / 3600));
    *p++ = ':';
    p = put2(p, (int)(second / 60 % 60));
    *p++ = ':';
    p = put2(p, (int)(second % 60));
    if (type == WB_SQL_TIMESTAMPTZ) {
        memcpy(p, "+00", WB_UTC_OFFSET_LEN); /* UTC, as PostgreSQL writes it in a session whose TimeZone is UTC */
        p += WB_UTC_OFFSET_LEN;
    }
    return (size_t)(p - out);
}

/* Read exactly n digits at *s into *v; advance *s. */
static int digits(const char **s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*s)++) {
        if (**s < '0' || **s > '9')
            return -1;
        *v = *v * 10 + (**s - '0');
    }
    return 0;
}

/* Days in month of year. */
static int month_days(int64_t year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

int wb_parse_time(const char *text, int64_t *seconds)
{
    const char *s = text;
    int year, month, day, hour = 0, minute = 0, second = 0;
    if (digits(&s, 4, &year) || *s++ != '-' || digits(&s, 2, &month) || *s++ != '-' || digits(&s, 2, &day))
        return -1;
    if (year < 1000 || month < 1 || month > 12 || day < 1 || day > month_days(year, month))
        return -1;
    if (*s == 'T' || *s == ' ') {
        s++;
        if (digits(&s, 2, &hour) || *s++ != ':' || digits(&s, 2, &minute) || *s++ != ':' ||
            digits(&s, 2, &second) || hour > 23 || minute > 59 || second > 59)
            return -1;
    }
    int64_t offset = 0;
    if (*s == 'Z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1, oh, om;
        if (digits(&s, 2, &oh) || *s++ != ':' || digits(&s, 2, &om) || oh > 15 || om > 59)
            return -1;
        offset = sign * (oh * 3600 + om * 60);
    }
    if (*s)
        return -1;
    *seconds = wb_days_from_civil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset;
    return 0;
}
