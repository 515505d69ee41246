#include "video/scene_scores.hpp"

#include "core/file_io.hpp"

#include <fmt/format.h>

namespace tiny::video {

std::string scene_scores_csv(const std::vector<SceneScore>& scores) {
  std::string out = "index,time,score,selected\n";
  for (const SceneScore& s : scores)
    out += fmt::format("{},{:.6f},{},{}\n", s.index, s.time, std::isnan(s.score) ? "" : fmt::format("{:.6f}", s.score),
                       s.selected ? 1 : 0);
  return out;
}

plot::LinePlot scene_scores_plot(const std::vector<SceneScore>& scores, double threshold, const std::string& title) {
  plot::LinePlot p;
  p.title = title;
  p.x_label = "time (s)";
  p.y_label = "scene change score";
  p.y.lo = 0;
  plot::Series all{"score of each frame", {}, {}, false, false, true};
  plot::Series selected{"frames extracted", {}, {}, true, false, false};
  for (const SceneScore& s : scores) {
    all.x.push_back(s.time), all.y.push_back(s.score);
    if (s.selected && !std::isnan(s.score)) selected.x.push_back(s.time), selected.y.push_back(s.score);
  }
  p.series.push_back(std::move(all));
  p.series.push_back(std::move(selected));
  if (!scores.empty())
    p.series.push_back({fmt::format("threshold {:g}", threshold), {scores.front().time, scores.back().time}, {threshold, threshold}, false, true});
  return p;
}

std::vector<std::string> write_scene_scores(const std::vector<SceneScore>& scores, double threshold,
                                            const std::string& prefix, const std::string& title, bool overwrite) {
  std::vector<std::string> files = {prefix + ".csv"};
  write_file_atomic(files[0], scene_scores_csv(scores), overwrite);
  if (scores.size() < 2) return files;
  for (const std::string& f : plot::write_plot(scene_scores_plot(scores, threshold, title), prefix, overwrite)) files.push_back(f);
  return files;
}

}  // namespace tiny::video
