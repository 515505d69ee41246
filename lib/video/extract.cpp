#include "video/extract.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "video/av_input.hpp"
#include "video/convert.hpp"
#include "video/hwaccel.hpp"

#include <cstdlib>

namespace tiny::video {
namespace {

// Feeds packets to the decoder and hands out frames in display order; decode errors are counted
// and skipped.
class Decoder {
public:
  // key_only: decode key frames only; the others are dropped before they reach the decoder, which
  // also skips any it is given (AVDISCARD_NONKEY).
  Decoder(AvInput& input, ExtractStats& stats, bool key_only = false)
      : input_(input), stats_(stats), packet_(av_packet_alloc()), frame_(av_frame_alloc()),
        download_(av_frame_alloc()), key_only_(key_only) {
    if (!packet_ || !frame_ || !download_) {
      free();
      throw Error(file_error(input.path(), "out of memory"));
    }
    input_.decoder()->skip_frame = key_only ? AVDISCARD_NONKEY : AVDISCARD_DEFAULT;
  }
  ~Decoder() {
    input_.decoder()->skip_frame = AVDISCARD_DEFAULT;
    free();
  }
  // Seeks to the key frame at or before pts and drops buffered frames.
  void seek(int64_t pts) {
    int err = av_seek_frame(input_.format(), input_.stream_index(), pts, AVSEEK_FLAG_BACKWARD);
    if (err < 0) err = av_seek_frame(input_.format(), input_.stream_index(), INT64_MIN, AVSEEK_FLAG_BACKWARD);
    if (err < 0) throw Error(file_error(input_.path(), "cannot seek: " + av_error_text(err)));
    avcodec_flush_buffers(input_.decoder());
    draining_ = done_ = false;
    drain_errors_ = 0;
  }
  // Decodes the next frame; false at the end of the stream.
  bool next() {
    AVCodecContext* dec = input_.decoder();
    while (!done_) {
      av_frame_unref(frame_);
      int err = avcodec_receive_frame(dec, frame_);
      if (err == 0) {
        ++stats_.decoded;
        if (frame_->decode_error_flags || (frame_->flags & AV_FRAME_FLAG_CORRUPT)) ++stats_.decode_errors;
        if (stats_.decoded == 1) stats_.decoder = decoded_on(frame_);
        picture_ = in_memory(frame_, download_);
        return true;
      }
      if (err == AVERROR_EOF) {
        done_ = true;
        return false;
      }
      if (err != AVERROR(EAGAIN)) {
        // A decode error: count it and go on with the next packet (or the next drained frame,
        // giving up after a bounded number of failures so a broken decoder cannot hang us).
        ++stats_.decode_errors;
        if (draining_) {
          if (++drain_errors_ > kMaxDrainErrors) done_ = true;
          continue;
        }
      }
      if (draining_) {
        done_ = true;
        return false;
      }
      if (!input_.read_packet(packet_)) {
        draining_ = true;
        avcodec_send_packet(dec, nullptr);
        continue;
      }
      if (key_only_ && !(packet_->flags & AV_PKT_FLAG_KEY)) {
        av_packet_unref(packet_);
        continue;
      }
      err = avcodec_send_packet(dec, packet_);
      av_packet_unref(packet_);
      if (err < 0 && err != AVERROR(EAGAIN)) ++stats_.decode_errors;
    }
    return false;
  }
  // The decoded frame, in system memory.
  const AVFrame* frame() const { return picture_; }
  int64_t pts() const {
    return frame_->best_effort_timestamp != AV_NOPTS_VALUE ? frame_->best_effort_timestamp : frame_->pts;
  }

private:
  void free() {
    av_packet_free(&packet_);
    av_frame_free(&frame_);
    av_frame_free(&download_);
  }

  AvInput& input_;
  ExtractStats& stats_;
  AVPacket* packet_;
  AVFrame* frame_;
  AVFrame* download_;  // frame_ copied from the device when it was decoded on one
  const AVFrame* picture_ = nullptr;
  bool key_only_;
  static constexpr int kMaxDrainErrors = 64;
  bool draining_ = false, done_ = false;
  int drain_errors_ = 0;
};

Frame make_frame(const Decoder& decoder, FrameConverter& converter, const FrameIndex& index, size_t i,
                 int rotation, const ExtractOptions& options) {
  return Frame{i, index.pts[i], index.time(i), converter.to_image(decoder.frame(), rotation, options.max_side)};
}

// Index of the last key frame at or before frame i (0 if none).
size_t key_before(const FrameIndex& index, size_t i) {
  while (i > 0 && !index.key[i]) --i;
  return i;
}

// Where to seek to decode from key frame k: its timestamp, or for frame 0 the stream's first decoding
// timestamp (demuxers that seek by decoding time, such as MPEG-TS, land past the first key frame
// when asked for its presentation time).
int64_t seek_point(const FrameIndex& index, size_t k) { return k == 0 ? index.first_dts : index.pts[k]; }

void report(const AvInput& input, const ExtractStats& stats) {
  if (stats.decode_errors) log::warn("{}: {} corrupt packets or frames skipped", input.path(), stats.decode_errors);
  if (stats.missing) log::warn("{}: {} requested frames could not be decoded", input.path(), stats.missing);
}

// Frames a decoder runs through cheaper than a seek: seek only when the target is further ahead.
constexpr size_t kSeekDistance = 16;

}  // namespace

ExtractStats extract_indices(AvInput& input, const FrameIndex& index, const std::vector<size_t>& wanted,
                             const ExtractOptions& options, const FrameSink& sink) {
  ExtractStats stats;
  Decoder decoder(input, stats);
  FrameConverter converter;
  int rotation = input.rotation();
  bool have = false;  // the decoder holds a frame at index `current`
  size_t current = 0;
  for (size_t target : wanted) {
    size_t key = key_before(index, target);
    if (!have || key > current + kSeekDistance) {
      // Seek to the key frame; if the demuxer lands after the target (timestamps ordered by
      // decoding time), step back one key frame at a time.
      for (size_t k = key;; k = key_before(index, k - 1)) {
        decoder.seek(seek_point(index, k));
        have = decoder.next();
        if (!have || decoder.pts() <= index.pts[target] || k == 0) break;
      }
      if (have) {
        int64_t found = index.find(decoder.pts());
        current = found >= 0 ? static_cast<size_t>(found) : 0;
      }
    }
    while (have && decoder.pts() < index.pts[target]) {
      have = decoder.next();
      if (have) {
        int64_t found = index.find(decoder.pts());
        if (found >= 0) current = static_cast<size_t>(found);
      }
    }
    if (have && decoder.pts() == index.pts[target]) {
      sink(make_frame(decoder, converter, index, target, rotation, options));
    } else {
      ++stats.missing;
    }
  }
  report(input, stats);
  return stats;
}

ExtractStats extract_keyframes(AvInput& input, const FrameIndex& index, double start, double end,
                               const ExtractOptions& options, const FrameSink& sink) {
  ExtractStats stats;
  if (index.pts.empty()) return stats;
  Decoder decoder(input, stats, true);
  FrameConverter converter;
  int rotation = input.rotation();
  decoder.seek(seek_point(index, key_before(index, index.at_time(start))));
  while (decoder.next()) {
    int64_t i = index.find(decoder.pts());
    if (i < 0) continue;
    double t = index.time(static_cast<size_t>(i));
    if (t > end) break;
    if (t >= start) sink(make_frame(decoder, converter, index, static_cast<size_t>(i), rotation, options));
  }
  report(input, stats);
  return stats;
}

ExtractStats extract_scenes(AvInput& input, const FrameIndex& index, double start, double end,
                            double threshold, const ExtractOptions& options, const FrameSink& sink,
                            std::vector<SceneScore>* scores) {
  constexpr int kWidth = 64, kHeight = 36;
  ExtractStats stats;
  if (index.pts.empty()) return stats;
  Decoder decoder(input, stats);
  FrameConverter converter, thumbnails;
  int rotation = input.rotation();
  decoder.seek(seek_point(index, key_before(index, index.at_time(start))));
  std::vector<uint8_t> previous;
  while (decoder.next()) {
    int64_t i = index.find(decoder.pts());
    if (i < 0) continue;
    double t = index.time(static_cast<size_t>(i));
    if (t > end) break;
    if (t < start) continue;
    std::vector<uint8_t> gray = thumbnails.gray_thumbnail(decoder.frame(), kWidth, kHeight);
    double score = NAN;
    if (!previous.empty()) {
      long sum = 0;
      for (size_t p = 0; p < gray.size(); ++p) sum += std::abs(int(gray[p]) - int(previous[p]));
      score = sum / (255.0 * gray.size());
    }
    const bool change = previous.empty() || score > threshold;
    if (scores) scores->push_back({static_cast<size_t>(i), t, score, change});
    if (change) sink(make_frame(decoder, converter, index, static_cast<size_t>(i), rotation, options));
    previous = std::move(gray);
  }
  report(input, stats);
  return stats;
}

}  // namespace tiny::video
