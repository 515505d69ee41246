#include "core/error.hpp"
#include "core/table.hpp"

#include <doctest/doctest.h>

using namespace tiny;

TEST_CASE("tables align columns and right-align numbers") {
  Table t({"name", "bpp"});
  t.add_row({"jpeg", "1.25"});
  t.add_row({"tiny-mbt2018-mean", "0.5"});
  CHECK(t.render() ==
        "name               bpp\n"
        "-----------------------\n"
        "jpeg               1.25\n"
        "tiny-mbt2018-mean   0.5\n");
  CHECK_THROWS_AS(t.add_row({"a", "b", "c"}), Error);
}

TEST_CASE("tables render as HTML: text escaped, numeric cells marked for right alignment") {
  Table t({"codec", "unit", "bpp"});
  t.add_row({"a<b>&\"c\"", "q", "0.25"});
  CHECK(t.render_html() ==
        "<table>\n<thead><tr><th>codec</th><th>unit</th><th>bpp</th></tr></thead>\n<tbody>\n"
        "<tr><td>a&lt;b&gt;&amp;&quot;c&quot;</td><td>q</td><td class=\"num\">0.25</td></tr>\n</tbody>\n</table>\n");
}
