/* attnviz audio: a soundtrack under a render's video (render --audio; concat --audio under a
 * joined one). .mp4 and .mov carry it as AAC-LC, .webm as Opus, at 48 kHz in stereo. */
#ifndef ATTNVIZ_AUDIO_H
#define ATTNVIZ_AUDIO_H

#include "attnviz/api.h"
#include "attnviz/error.h"

AVZ_BEGIN_DECLS

typedef struct avz_audio_options {
    const char *path; /* anything libavformat reads (WAV, FLAC, MP3, Ogg, M4A); NULL: none */
    double fade;      /* seconds of fade-out ending with the whole video */
    double offset;    /* where the file's start plays, in seconds of the video (< 0: before) */
    double volume_db; /* gain */
} avz_audio_options;

/* Whether o->path can be read as a soundtrack, before any work: 0, an I/O error for a file
 * that cannot be read, or -EINVAL for one that holds no audio attnviz can decode or no sound
 * at all (a WAV of its header alone). */
AVZ_API int avz_audio_check(const avz_audio_options *o, avz_error *err);

AVZ_END_DECLS

#endif
