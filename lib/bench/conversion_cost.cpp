#include "bench/conversion_cost.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

namespace tiny::bench {

ConversionCost measure_conversion_cost(const std::vector<std::string>& originals,
                                       const std::vector<std::string>& converted,
                                       const std::vector<std::string>& images) {
  std::vector<std::unique_ptr<Codec>> codecs;
  codecs.push_back(make_learned_codec("original", originals));
  codecs.push_back(make_learned_codec("converted", converted));
  if (codecs[0]->qualities(false) != codecs[1]->qualities(false))
    throw Error("the converted models do not have the qualities of the originals");
  ConversionCost cost;
  cost.result = run_bench(images, codecs, false);
  for (const CodecResult& c : cost.result.codecs) cost.curves.push_back(to_curve(c, "tiny convert --eval, " + c.codec));
  if (cost.curves[0].bpp.size() >= 2) cost.bd = bd_rows(cost.curves[0], {cost.curves[1]});
  return cost;
}

}  // namespace tiny::bench
