// lien/model/people.hpp — learners, stakeholders, and the protected attributes kept apart from both.
//
// Learners and stakeholders share one id space of people (a learner is a person whose role is `learner`), so
// relations and interaction events can point at anyone. Names and e-mails are personal data: they are kept
// for the reports a community manager reads, and never written into logs or error messages. Protected
// attributes (gender, age band, disability...) live in their own table that feature extraction never sees;
// only the fairness audit reads them.
#pragma once

#include <string>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

struct Person {
  std::string id;
  Role role = Role::learner;
  LearnerId learner = kNoId;  ///< the learner index when role == learner
  std::string display_name;   ///< personal: reports only
  std::string email;          ///< personal: used to match xAPI mbox / mbox_sha1sum actors
  std::string organisation;   ///< free label (company, department, training organisation name)
};

struct Learner {
  PersonId person = kNoId;
  std::string team;  ///< free labels used for grouping and buddy matching; "" when unknown
  std::string site;
  std::string job;
};

/// Protected attributes, one column per attribute, one value per learner ("" when unknown).
class ProtectedAttributes {
 public:
  const std::vector<std::string>& names() const noexcept { return names_; }
  /// Values of attribute `name` indexed by LearnerId; empty when the attribute is absent.
  const std::vector<std::string>& column(const std::string& name) const {
    static const std::vector<std::string> kEmpty;
    for (std::size_t i = 0; i < names_.size(); ++i)
      if (names_[i] == name) return values_[i];
    return kEmpty;
  }
  void set(LearnerId learner, const std::string& name, std::string value) {
    std::size_t i = 0;
    while (i < names_.size() && names_[i] != name) ++i;
    if (i == names_.size()) {
      names_.push_back(name);
      values_.emplace_back();
    }
    if (values_[i].size() <= learner) values_[i].resize(learner + 1);
    values_[i][learner] = std::move(value);
  }
  void resize(std::size_t learners) {
    for (auto& v : values_) v.resize(learners);
  }

 private:
  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> values_;
};

/// Columns of the learners table that are protected attributes; any column named `protected_<x>` is too.
inline bool is_protected_attribute(const std::string& column) {
  return column == "gender" || column == "age_band" || column == "disability" ||
         column.rfind("protected_", 0) == 0;
}

LIEN_END_NAMESPACE
