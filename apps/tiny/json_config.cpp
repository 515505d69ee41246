#include "json_config.hpp"

#include "core/error.hpp"
#include "core/json_file.hpp"

#include <iterator>

namespace tiny::cli {
namespace {

bool is_flag(const CLI::Option* opt) { return opt->get_expected_min() == 0; }
bool is_list(const CLI::Option* opt) { return opt->get_items_expected_max() > 1; }

// The option's value type without validator suffixes: "INT:NONNEGATIVE" -> "INT".
std::string base_type(const CLI::Option* opt) {
  const std::string& t = opt->get_type_name();
  return t.substr(0, t.find(':'));
}

bool configurable_key(const CLI::Option* opt) {
  return opt->get_configurable() && !opt->get_single_name().empty();
}

// Converts one CLI11 string value to typed JSON by the option's declared type.
Json typed_value(const CLI::Option* opt, const std::string& text) {
  const std::string type = base_type(opt);
  try {
    if (type == "INT") return std::stoll(text);
    if (type == "UINT") return std::stoull(text);
    if (type == "FLOAT") return std::stod(text);
  } catch (const std::exception&) {
    return text;
  }
  return text;
}

std::string json_kind(const Json& v) {
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

// Converts one JSON scalar to the string CLI11 parses, checking it against the option's type.
std::string scalar_input(const CLI::Option* opt, const Json& v, const std::string& where) {
  const std::string type = base_type(opt);
  auto wrong = [&](const char* expected) {
    return UsageError(where + " must be " + expected + ", got " + json_kind(v) + " " + v.dump());
  };
  if (type == "INT" || type == "UINT") {
    if (!v.is_number_integer()) throw wrong("an integer");
    return v.dump();
  }
  if (type == "FLOAT") {
    if (!v.is_number()) throw wrong("a number");
    return v.dump();
  }
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number() || v.is_boolean()) return v.dump();
  throw wrong("a string");
}

}  // namespace

std::string JsonConfig::to_config(const CLI::App* app, bool, bool, std::string) const {
  Json out = Json::object();
  for (const CLI::Option* opt : app->get_options()) {
    if (!configurable_key(opt)) continue;
    const std::string& key = opt->get_single_name();
    if (is_flag(opt)) {
      out[key] = opt->count() > 0 ? opt->as<bool>() : opt->get_default_str() == "true";
      continue;
    }
    std::vector<std::string> values = opt->results();
    if (opt->count() == 0) {
      values.clear();
      std::string d = opt->get_default_str();
      if (!d.empty() && d.front() == '[' && d.back() == ']') d = d.substr(1, d.size() - 2);
      if (!d.empty()) {
        if (is_list(opt)) {
          for (auto& part : CLI::detail::split(d, ',')) values.push_back(CLI::detail::trim_copy(part));
        } else {
          values.push_back(d);
        }
      }
    }
    if (is_list(opt)) {
      Json arr = Json::array();
      for (const auto& v : values) arr.push_back(typed_value(opt, v));
      out[key] = arr;
    } else if (values.empty()) {
      out[key] = nullptr;
    } else {
      out[key] = typed_value(opt, values.back());
    }
  }
  return out.dump(2) + "\n";
}

std::vector<CLI::ConfigItem> JsonConfig::from_config(std::istream& input) const {
  std::string origin = "config";
  if (const CLI::Option* c = root_->get_config_ptr(); c && c->count() > 0) origin = c->results().back();
  // The command is the deepest parsed subcommand ("bench" then "rans" for `tiny bench rans`).
  std::vector<std::string> path;
  const CLI::App* app_ = root_;
  while (!app_->get_subcommands().empty()) {
    app_ = app_->get_subcommands().front();
    path.push_back(app_->get_name());
  }
  if (path.empty()) throw UsageError(file_error(origin, "a config file needs a command, e.g. 'tiny info --config FILE'"));
  std::string command = "tiny";
  for (const auto& p : path) command += " " + p;
  std::string text((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
  Json doc = parse_json(text, origin);
  if (!doc.is_object()) throw UsageError(file_error(origin, "a config file must hold a JSON object"));

  std::vector<std::string> known;
  for (const CLI::Option* opt : app_->get_options())
    if (configurable_key(opt)) known.push_back(opt->get_single_name());

  std::vector<CLI::ConfigItem> items;
  for (const auto& [key, value] : doc.items()) {
    const CLI::Option* opt = nullptr;
    for (const CLI::Option* o : app_->get_options())
      if (configurable_key(o) && (o->get_single_name() == key || o->check_lname(key))) opt = o;
    if (!opt) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw UsageError(file_error(origin, "unknown key '" + key + "' for '" + command +
                                              "' (known keys: " + list + ")"));
    }
    std::string where = file_error(origin, "key '" + key + "'");
    CLI::ConfigItem item;
    item.parents = path;
    item.name = key;
    if (is_flag(opt)) {
      if (!value.is_boolean()) throw UsageError(where + " must be true or false, got " + value.dump());
      item.inputs = {value.get<bool>() ? "true" : "false"};
    } else if (value.is_array()) {
      if (!is_list(opt)) throw UsageError(where + " takes a single value, got an array");
      for (const auto& v : value) item.inputs.push_back(scalar_input(opt, v, where));
    } else if (value.is_null()) {
      continue;
    } else {
      item.inputs = {scalar_input(opt, value, where)};
    }
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace tiny::cli
