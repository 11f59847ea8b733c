/* attnviz command line, narration cues (--cues): where phases must begin, read from an
 * Audacity label track or a WebVTT file (avz_cues_read), turned into phase lengths. Each label
 * names a phase, or is "end" for where the video ends. The phase before a cued one is given
 * the length that makes the cued one begin at its time; phases between cues keep theirs; the
 * first phase starts the video, so its cue, if any, is at 0. The lengths the cues decide win
 * over --phase and --pacing. And the other way: the phases as such a file (phases --format). */
#ifndef ATTNVIZ_TOOLS_CUES_H
#define ATTNVIZ_TOOLS_CUES_H

#include <stdio.h>

#include "attnviz/settings.h"
#include "attnviz/timeline.h"

/* The lengths (before speed) that put each cued phase where its cue says, given tl, the
 * timeline the other pacing made: names and seconds, count of them, to add to that pacing.
 * 0 or the exit code of an error already reported: an unknown phase, a phase cued twice, cues
 * out of order, a phase squeezed to nothing, a first phase not at 0. */
int cues_pace(const avz_cues *c, const char *path, const avz_scene *s, const avz_timeline *tl,
              double speed, const char **names, double *seconds, size_t *count);

/* The phases' starts as an Audacity label track (and a label "end"), or as WebVTT cues. */
void cues_write_audacity(FILE *f, const avz_timeline *tl);
void cues_write_vtt(FILE *f, const avz_timeline *tl);

#endif
