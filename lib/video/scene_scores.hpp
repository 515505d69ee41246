#pragma once
// The per-frame scene scores of `tiny frames --scene`, written so that a threshold can be chosen by
// looking: a CSV (index, time, score, selected) and a plot of score against time with the threshold.
#include "plot/plot.hpp"
#include "video/extract.hpp"

#include <string>
#include <vector>

namespace tiny::video {

// CSV text: header index,time,score,selected, one line per frame (the first frame's score empty).
std::string scene_scores_csv(const std::vector<SceneScore>& scores);
// The plot of the scores against time, the selected frames marked, the threshold dashed.
plot::LinePlot scene_scores_plot(const std::vector<SceneScore>& scores, double threshold, const std::string& title);
// Writes {prefix}.csv, {prefix}.svg and {prefix}.png (each atomically; the plots only when a frame
// has a score); returns the files written.
std::vector<std::string> write_scene_scores(const std::vector<SceneScore>& scores, double threshold,
                                            const std::string& prefix, const std::string& title, bool overwrite);

}  // namespace tiny::video
