#pragma once
// Plain-text tables with aligned columns, for reports on stdout.
#include <string>
#include <vector>

namespace tiny {

class Table {
public:
  // Creates a table with the given column headers.
  explicit Table(std::vector<std::string> headers);
  // Appends a row (missing cells are blank, extra cells are an error).
  void add_row(std::vector<std::string> cells);
  // Renders the table: headers, a rule, then rows; numbers right-aligned.
  std::string render() const;
  // Renders the table as an HTML <table> (text escaped; numeric cells in class "num", right-aligned).
  std::string render_html() const;
  // Number of rows added.
  size_t rows() const { return rows_.size(); }

private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace tiny
