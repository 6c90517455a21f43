// Explanation sentences: the learner's own value written into a feature's en / fr template.
//
// Compiled once: the templates live in registry.hpp, only the formatting rules are here. Values are rounded
// to what the sentence shows before the singular/plural choice, so "1.04 days" never reads "1 days".
#include <cmath>
#include <cstdio>

#include "lien/core/error.hpp"
#include "lien/features/registry.hpp"

LIEN_BEGIN_NAMESPACE

namespace {

// The value as displayed (rounded as the format writes it).
double displayed(ValueFormat f, double v) {
  switch (f) {
    case ValueFormat::count: return std::round(v);
    case ValueFormat::percent:
    case ValueFormat::score: return std::round(v * 100.0) / 100.0;
    case ValueFormat::ratio:
    case ValueFormat::slope: return std::round(v * 10.0) / 10.0;
    case ValueFormat::decimal: return std::round(v * 100.0) / 100.0;
    case ValueFormat::flag: return v >= 0.5 ? 1.0 : 0.0;
  }
  return v;
}

std::string decimals(double v, int digits, Lang lang) {
  char buf[64];
  if (v == 0) v = 0;  // no "-0.0"
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  std::string s(buf);
  if (lang == Lang::fr)
    for (char& c : s)
      if (c == '.') c = ',';
  return s;
}

bool singular(double shown, Lang lang) {
  const double a = std::fabs(shown);
  return lang == Lang::fr ? a < 2.0 : a == 1.0;
}

std::string fill(std::string_view tpl, const std::string& value) {
  std::string out;
  out.reserve(tpl.size() + value.size());
  for (std::size_t i = 0; i < tpl.size(); ++i) {
    if (tpl.compare(i, 3, "{v}") == 0) {
      out += value;
      i += 2;
    } else {
      out += tpl[i];
    }
  }
  return out;
}

}  // namespace

std::string format_value(ValueFormat format, double value, Lang lang) {
  if (!std::isfinite(value)) throw InvalidArgument("format_value: value is not a finite number");
  const double shown = displayed(format, value);
  switch (format) {
    case ValueFormat::count:
    case ValueFormat::flag: return decimals(shown, 0, lang);
    case ValueFormat::percent:
    case ValueFormat::score: return decimals(shown * 100.0, 0, lang) + (lang == Lang::fr ? " %" : "%");
    case ValueFormat::ratio:
    case ValueFormat::slope: return decimals(shown, 1, lang);
    case ValueFormat::decimal: return decimals(shown, 2, lang);
  }
  return decimals(value, 2, lang);
}

std::string describe(FeatureId feature, double value, Lang lang) {
  const FeatureInfo& info = feature_info(feature);
  if (!std::isfinite(value))
    throw InvalidArgument("describe: value of feature '" + std::string(info.name) + "' is not a finite number");
  const Phrase& p = lang == Lang::fr ? info.fr : info.en;
  const double shown = displayed(info.format, value);
  if (info.format == ValueFormat::flag) return std::string(shown == 1.0 ? p.one : p.zero);
  if (shown == 0 && !p.zero.empty()) return std::string(p.zero);
  if (shown < 0 && !p.negative_many.empty()) {
    const std::string_view tpl = singular(shown, lang) && !p.negative_one.empty() ? p.negative_one : p.negative_many;
    return fill(tpl, format_value(info.format, -value, lang));
  }
  const std::string_view tpl = singular(shown, lang) && !p.one.empty() ? p.one : p.many;
  return fill(tpl, format_value(info.format, value, lang));
}

std::string describe(std::string_view feature, double value, Lang lang) {
  const FeatureInfo* f = find_feature(feature);
  if (!f) throw NotFound("describe: unknown feature '" + std::string(feature) + "'");
  return describe(f->id, value, lang);
}

Lang parse_lang(std::string_view text) {
  if (text == "en") return Lang::en;
  if (text == "fr") return Lang::fr;
  throw InvalidArgument("unknown language '" + std::string(text) + "' (expected 'en' or 'fr')");
}

LIEN_END_NAMESPACE
