/* Internal: a render's soundtrack (--audio). The file (anything libavformat reads) is decoded
 * and resampled to 48 kHz stereo and laid on the whole video's timeline: shifted by the
 * offset, scaled by the gain, faded out over the video's last seconds, silent where the file
 * does not reach. An output takes the span of it that its frames cover, so a part carries
 * the whole's samples there, and a joined video (concat.c) the same as one rendered whole.
 * The samples are encoded (AAC-LC or Opus) and muxed as the video advances, so the muxer's
 * interleaving holds only a few frames of audio. */
#ifndef ATTNVIZ_OUTPUT_SOUNDTRACK_H
#define ATTNVIZ_OUTPUT_SOUNDTRACK_H

#include <libavformat/avformat.h>
#include <stdint.h>

#include "attnviz/audio.h"
#include "attnviz/error.h"

#define AVZ_AUDIO_RATE 48000

typedef struct avz_soundtrack avz_soundtrack;

/* Opens o->path for an output that starts `start` seconds into a whole video `whole` seconds
 * long. An unreadable file is an I/O error; one without audio, -EINVAL. */
int avz_soundtrack_open(const avz_audio_options *o, double start, double whole,
                        avz_soundtrack **out, avz_error *err);
void avz_soundtrack_free(avz_soundtrack *s);

/* The next count samples of each channel, from where the last call ended. */
int avz_soundtrack_read(avz_soundtrack *s, float *left, float *right, size_t count, avz_error *err);

/* Adds the soundtrack's stream to fmt, before its header is written, encoded by `encoder`
 * (a libavcodec name: "aac", "libopus"). */
int avz_soundtrack_add_stream(avz_soundtrack *s, AVFormatContext *fmt, const char *encoder,
                              avz_error *err);
/* Encodes and muxes the samples up to `seconds` into the output (a whole number of the
 * encoder's frames: the rest waits for the next call). */
int avz_soundtrack_mux_until(avz_soundtrack *s, double seconds, avz_error *err);
/* Muxes the samples up to `seconds`, the output's length, then drains the encoder. */
int avz_soundtrack_mux_end(avz_soundtrack *s, double seconds, avz_error *err);

#endif
