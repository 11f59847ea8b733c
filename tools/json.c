/* attnviz command line, JSON output: strings escaped so that any path or token stays valid
 * JSON, and the versions object. */
#include <stdint.h>
#include <string.h>

#include "attnviz/version.h"
#include "cli.h"

size_t cli_utf8_length(const unsigned char *s) {
    size_t n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
    if (s[0] >= 0xF8 || n == 0)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    uint32_t cp = s[0] & (0xFF >> (n + 1));
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (s[i] & 0x3F);
    bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    return overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF ? 0 : n;
}

/* Bytes that are not UTF-8 (a path may hold any) become \udcXX, as Python's surrogateescape
 * writes them, so that the line stays JSON and says which byte it was. */
void json_string(FILE *f, const char *text) {
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)text; *c;) {
        if (*c == '"' || *c == '\\') {
            fprintf(f, "\\%c", *c++);
        } else if (*c < 0x20 || *c == 0x7F) {
            fprintf(f, "\\u%04x", *c++);
        } else if (*c < 0x80) {
            fputc(*c++, f);
        } else {
            size_t n = cli_utf8_length(c);
            if (n) {
                fwrite(c, 1, n, f);
                c += n;
            } else {
                fprintf(f, "\\udc%02x", *c++);
            }
        }
    }
    fputc('"', f);
}

void json_versions(FILE *f) {
    avz_component c[16];
    size_t n = avz_components(c, sizeof c / sizeof c[0]);
    fputc('{', f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s", i ? "," : "");
        json_string(f, c[i].name);
        fputc(':', f);
        json_string(f, c[i].version);
    }
    fputc('}', f);
}

void print_versions(FILE *f) {
    avz_component c[16];
    size_t n = avz_components(c, sizeof c / sizeof c[0]);
    fprintf(f, "attnviz %s\n", c[0].version);
    fputs("the output's bytes depend on:\n", f);
    for (size_t i = 1; i < n; i++)
        fprintf(f, "  %-12s %s\n", c[i].name, c[i].version);
}
