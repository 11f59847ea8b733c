/* attnviz command line, its documents: the manual page and the bash and zsh completions,
 * written from the same tables of commands and options as `--help` (options.c), so that none
 * of them can drift from what the parser accepts. docgen.c writes them at build time. */
#include <stdio.h>
#include <string.h>

#include "attnviz/version.h"
#include "cli.h"

/* Text as roff reads it: backslashes doubled, hyphens as minus signs where they are options'. */
static void roff(FILE *f, const char *text) {
    for (const char *c = text; *c; c++) {
        if (*c == '\\')
            fputs("\\e", f);
        else if (*c == '-')
            fputs("\\-", f);
        else if ((*c == '.' || *c == '\'') && (c == text || c[-1] == '\n'))
            fprintf(f, "\\&%c", *c); /* a line starting with these is a request */
        else
            fputc(*c, f);
    }
}

static void roff_option(FILE *f, const cli_option *o) {
    fputs(".TP\n", f);
    if (o->short_name)
        fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
    fputs("\\fB", f);
    roff(f, o->name);
    fputs("\\fR", f);
    if (o->value) {
        fputs(" \\fI", f);
        roff(f, o->value);
        fputs("\\fR", f);
    }
    fputs("\n", f);
    roff(f, o->help);
    fputs(" (", f);
    bool first = true;
    for (int c = 0; c < CMD_COUNT; c++)
        if (o->commands & ON(c)) {
            fprintf(f, "%s%s", first ? "" : ", ", cli_commands[c].name);
            first = false;
        }
    fputs(")\n", f);
}

static void roff_paragraphs(FILE *f, const char *text) {
    while (*text) {
        size_t n = strcspn(text, "\n");
        char para[2048];
        snprintf(para, sizeof para, "%.*s", (int)n, text);
        roff(f, para);
        fputc('\n', f);
        text += n + (text[n] == '\n');
        if (*text)
            fputs(".PP\n", f);
    }
}

void cli_write_man(FILE *f) {
    fprintf(f, ".TH ATTNVIZ 1 \"\" \"attnviz %s\" \"User Commands\"\n", AVZ_VERSION);
    fputs(".SH NAME\nattnviz \\- render explainer videos of transformer attention from scene "
          "modules\n.SH SYNOPSIS\n",
          f);
    for (int c = 0; c < CMD_COUNT; c++) {
        const char *syn = cli_commands[c].synopsis;
        while (*syn) {
            size_t n = strcspn(syn, "\n");
            char line[512];
            snprintf(line, sizeof line, "%.*s", (int)n, syn);
            fprintf(f, ".B attnviz %s\n", cli_commands[c].name);
            roff(f, line);
            fputs("\n.br\n", f);
            syn += n + (syn[n] == '\n');
        }
    }
    fputs(".B attnviz \\-\\-version\n.RB [ \\-\\-json ]\n", f);
    fputs(".SH DESCRIPTION\n"
          "attnviz turns scene modules, written in C against its scene SDK, into finished "
          "videos: explainer animations of transformer attention. It draws with cairo, sets "
          "text with harfbuzz and freetype from the fonts it ships, and encodes with "
          "libavcodec; it needs no LaTeX, no Python and no network, and the same inputs give "
          "the same bytes.\n"
          ".PP\n"
          "Every error is one line on standard error and an exit code (see EXIT STATUS); no "
          "output file is written, and an output that existed stays as it was.\n"
          ".PP\n"
          "Options take their value as the next argument or after '=' (\\-\\-fps=30); short "
          "ones combine (\\-ql); \\-\\- ends the options.\n",
          f);
    fputs(".SH COMMANDS\n", f);
    for (int c = 0; c < CMD_COUNT; c++) {
        fprintf(f, ".SS %s\n", cli_commands[c].name);
        roff_paragraphs(f, cli_commands[c].description);
    }
    fputs(".SH OPTIONS\nEach option lists the commands it applies to.\n", f);
    for (size_t i = 0; i < cli_option_count; i++)
        roff_option(f, &cli_options[i]);
    fputs(".SH SEGMENTS\n"
          "A render splits into N contiguous frame ranges that any job engine renders apart "
          "(\\fBrender \\-\\-segment K/N\\fR, or all side by side with \\fB\\-\\-jobs\\fR) and "
          "\\fBconcat\\fR joins by stream copy. Segment K nominally starts at frame first + "
          "floor(count \\(mu (K\\-1) / N) of the render's frames. A keyframe costs least where "
          "the picture changes anyway or not at all, so each boundary moves, within "
          "min(fps / 2, count / (4N)) frames either side, to the nearest phase start; failing "
          "one, to the nearest frame identical to its predecessor; failing that, it stays. Ties "
          "go to the earlier frame. The ranges depend only on the scene, the options and N, "
          "never on the machine. Each piece starts with a keyframe, holds its phases' chapters "
          "and names its render in its metadata (attnviz_segment, attnviz_frames, "
          "attnviz_range, attnviz_fps, attnviz_version, attnviz_scene, attnviz_job: a "
          "fingerprint of the options). .mp4, .webm and .mov join; a GIF's palette needs every "
          "frame, and a PNG sequence's parts are its files (\\-\\-from, \\-\\-to, "
          "\\-\\-start\\-number source).\n",
          f);
    fputs(".SH EXIT STATUS\n"
          ".TP\n0\nsuccess\n"
          ".TP\n1\nan internal failure: out of memory, an encoder that fails\n"
          ".TP\n2\na malformed command line: an unknown command or option, a bad number, size or "
          "pacing length, an option the command or output does not take, a malformed settings "
          "file, a request over a limit (frames, pixels, memory, stack)\n"
          ".TP\n3\nwell\\-formed but wrong input: an unknown scene, phase or parameter, a bad "
          "parameter value, a plug\\-in that is not one, a scene whose build fails (whatever "
          "it does wrong, exit() included)\n"
          ".TP\n4\nan input cannot be read (fonts, a settings file, a plug\\-in folder) or an "
          "output cannot be written (including standard output, whose report a command's "
          "files wait for: they are put back as they were)\n"
          ".TP\n5\nstopped by a signal: any that ends a program by default but KILL and the faults "
          "(SEGV, BUS, ILL, FPE, TRAP, ABRT, SYS), so HUP, INT, QUIT, TERM, PIPE, USR1, USR2, "
          "ALRM, XCPU, VTALRM, PROF, IO, PWR, STKFLT, the real\\-time signals, and XFSZ from "
          "another process (HUP not under nohup); nothing was replaced\n"
          ".TP\n6\n\\-\\-no\\-overwrite, and the output exists\n",
          f);
    fputs(".SH ENVIRONMENT\n"
          ".TP\n.B AVZ_FONT_DIR\nthe folder of attnviz's fonts, instead of "
          "\\fI../share/attnviz/fonts\\fR beside the program (or beside libattnviz)\n"
          ".TP\n.B AVZ_SCENE_PATH\nfolders of scene plug\\-ins (*.so), separated by ':', looked "
          "in before \\fI../lib/attnviz/scenes\\fR beside the program\n",
          f);
    fputs(".SH FILES\n"
          ".TP\n.I PREFIX/share/attnviz/fonts/\nthe shipped fonts and their licences\n"
          ".TP\n.I PREFIX/lib/attnviz/scenes/\nscene plug\\-ins found by name\n"
          ".TP\n.I PREFIX/lib/pkgconfig/attnviz.pc\nthe scene SDK, for "
          "\\fBpkg\\-config \\-\\-cflags \\-\\-libs attnviz\\fR\n"
          ".TP\n.I PREFIX/share/doc/attnviz/examples/\nexample scene plug\\-ins\n",
          f);
    fputs(
        ".SH EXAMPLES\n"
        ".nf\n"
        "attnviz render gqa \\-o gqa.mp4\n"
        "attnviz render gqa \\-ql \\-\\-only heatmap \\-\\-phase heatmap=8 \\-o heatmap.mp4\n"
        "attnviz still gqa \\-\\-at heatmap+2 \\-o frame.png\n"
        "attnviz phases gqa \\-\\-pacing pacing.txt \\-\\-json\n"
        "attnviz formula '\\efrac{QK^\\etop}{\\esqrt{d_k}}' \\-o f.png\n"
        "cc \\-shared \\-fPIC mine.c $(pkg\\-config \\-\\-cflags \\-\\-libs attnviz) \\-o mine.so\n"
        "attnviz render ./mine.so \\-o mine.mp4\n"
        "attnviz plan gqa \\-\\-segments 8 \\-o gqa.mp4 > jobs; head \\-n 8 jobs | parallel; "
        "tail \\-n 1 jobs | sh\n"
        ".fi\n",
        f);
}

/* Options of each command, for the completions: "-o --output --quality ...". */
static void options_of(FILE *f, int command) {
    for (size_t i = 0; i < cli_option_count; i++) {
        const cli_option *o = &cli_options[i];
        if (!(o->commands & ON(command)))
            continue;
        if (o->short_name)
            fprintf(f, " -%c", o->short_name);
        fprintf(f, " %s", o->name);
    }
}

/* What an option's value completes to, as a shell case label and its words. */
static const struct {
    const char *options, *kind;
} value_kinds[] = {
    {"-o|--output|--pacing|--params|--chapters", "files"},
    {"--phase|--from|--to|--only", "phases"},
    {"--set", "params"},
    {"-q|--quality", "l m h k"},
    {"--format", "mp4 webm mov gif png"},
    {"--preset", "ultrafast superfast veryfast faster fast medium slow slower veryslow placebo"},
    {"--at", "end"},
    {"--start-number", "source 0 1"},
};

void cli_write_bash_completion(FILE *f) {
    fputs("# bash completion for attnviz (written by attnviz's docgen from its option table)\n"
          "_attnviz_scene() {\n"
          "  local i\n"
          "  for ((i = 2; i < COMP_CWORD; i++)); do\n"
          "    case ${COMP_WORDS[i]} in -*) ;; *) echo \"${COMP_WORDS[i]}\"; return ;; esac\n"
          "  done\n"
          "}\n"
          "_attnviz() {\n"
          "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "  local cmd=${COMP_WORDS[1]} scene words\n"
          "  if ((COMP_CWORD == 1)); then\n"
          "    COMPREPLY=($(compgen -W \"",
          f);
    for (int c = 0; c < CMD_COUNT; c++)
        fprintf(f, "%s ", cli_commands[c].name);
    fputs("--help --version\" -- \"$cur\"))\n    return\n  fi\n  scene=$(_attnviz_scene)\n"
          "  case $prev in\n",
          f);
    for (size_t i = 0; i < sizeof value_kinds / sizeof value_kinds[0]; i++) {
        const char *kind = value_kinds[i].kind;
        fprintf(f, "    %s)\n", value_kinds[i].options);
        if (!strcmp(kind, "files"))
            fputs("      COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n", f);
        else if (!strcmp(kind, "phases"))
            fputs("      words=$(attnviz phases \"$scene\" 2>/dev/null | awk 'NR > 1 && $1 != "
                  "\"total\" { print $1 }')\n"
                  "      COMPREPLY=($(compgen -W \"$words\" -- \"$cur\")); return ;;\n",
                  f);
        else if (!strcmp(kind, "params"))
            fputs("      words=$(attnviz params \"$scene\" 2>/dev/null | awk 'NR > 1 { print $1 "
                  "\"=\" }')\n"
                  "      compopt -o nospace 2>/dev/null\n"
                  "      COMPREPLY=($(compgen -W \"$words\" -- \"$cur\")); return ;;\n",
                  f);
        else
            fprintf(f, "      COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")); return ;;\n", kind);
    }
    fputs("  esac\n  case $cmd in\n", f);
    for (int c = 0; c < CMD_COUNT; c++) {
        fprintf(f, "    %s) words=\"", cli_commands[c].name);
        options_of(f, c);
        fputs("\"\n", f);
        if (cli_commands[c].operand == OPERAND_SCENE)
            fputs("      [[ $cur != -* && -z $scene ]] && words=$(attnviz list 2>/dev/null | awk "
                  "'NR > 1 { print $1 }') ;;\n",
                  f);
        else if (cli_commands[c].operand == OPERAND_COMMAND)
            fprintf(f, "      [[ $cur != -* ]] && words=\"%s\" ;;\n",
                    "render still storyboard formula hash phases params list");
        else
            fputs("      ;;\n", f);
    }
    fputs("  esac\n  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\n"
          "complete -o default -F _attnviz attnviz\n",
          f);
}

void cli_write_zsh_completion(FILE *f) {
    fputs("#compdef attnviz\n"
          "# zsh completion for attnviz (written by attnviz's docgen from its option table)\n"
          "_attnviz() {\n"
          "  local -a commands opts\n"
          "  local scene cmd=$words[2] prev=$words[CURRENT-1] i\n"
          "  commands=(\n",
          f);
    for (int c = 0; c < CMD_COUNT; c++)
        fprintf(f, "    '%s:%s'\n", cli_commands[c].name, cli_commands[c].summary);
    fputs("  )\n"
          "  if (( CURRENT == 2 )); then\n"
          "    _describe command commands\n"
          "    return\n"
          "  fi\n"
          "  for (( i = 3; i < CURRENT; i++ )); do\n"
          "    [[ $words[i] != -* ]] && { scene=$words[i]; break; }\n"
          "  done\n"
          "  case $prev in\n",
          f);
    for (size_t i = 0; i < sizeof value_kinds / sizeof value_kinds[0]; i++) {
        const char *kind = value_kinds[i].kind;
        fprintf(f, "    %s)\n", value_kinds[i].options);
        if (!strcmp(kind, "files"))
            fputs("      _files; return ;;\n", f);
        else if (!strcmp(kind, "phases"))
            fputs("      compadd -- ${(f)\"$(attnviz phases $scene 2>/dev/null | awk 'NR > 1 && "
                  "$1 != \"total\" { print $1 }')\"}; return ;;\n",
                  f);
        else if (!strcmp(kind, "params"))
            fputs("      compadd -S '=' -- ${(f)\"$(attnviz params $scene 2>/dev/null | awk "
                  "'NR > 1 { print $1 }')\"}; return ;;\n",
                  f);
        else
            fprintf(f, "      compadd -- %s; return ;;\n", kind);
    }
    fputs("  esac\n  case $cmd in\n", f);
    for (int c = 0; c < CMD_COUNT; c++) {
        fprintf(f, "    %s) opts=(", cli_commands[c].name);
        options_of(f, c);
        fputs(" ) ;;\n", f);
    }
    fputs("  esac\n"
          "  if [[ $PREFIX == -* || -n $scene ]]; then\n"
          "    compadd -- $opts\n"
          "  elif [[ $cmd == help ]]; then\n"
          "    _describe command commands\n"
          "  else\n"
          "    compadd -- ${(f)\"$(attnviz list 2>/dev/null | awk 'NR > 1 { print $1 }')\"}\n"
          "    _files -g '*.so'\n"
          "  fi\n"
          "}\n"
          "_attnviz \"$@\"\n",
          f);
}
