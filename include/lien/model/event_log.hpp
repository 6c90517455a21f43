// lien/model/event_log.hpp — every event of a cohort, columnar, grouped by learner and sorted by time.
//
// Layout (30 bytes per event, plus 8 bytes per learner for the index):
//   time      int64   instant (ms since the epoch, UTC)
//   object    uint32  a StepId, ResourceId or PersonId, as `kind` says
//   actor     uint32  the stakeholder (PersonId) who acted about the learner, or kNoId when the learner acted
//   score     float   scaled score in [-1, 1], NaN when absent
//   duration  float   seconds, NaN when absent
//   count     uint32  how many times it happened (aggregated logs: "14 clicks that day"); 1 for single events
//   verb      uint8
//   flags     uint8   bits 0-1 object kind, 2-3 success (Tri), 4-5 completion (Tri)
// The learner is not stored per event: events are grouped by learner, and offsets[l] .. offsets[l+1] is learner
// l's contiguous range, found in O(1). Within a learner, events are sorted by time; ties keep input order.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "lien/core/config.hpp"
#include "lien/core/time.hpp"
#include "lien/model/types.hpp"

LIEN_BEGIN_NAMESPACE

/// One event, as builders and writers see it (the log itself stores columns).
struct Event {
  LearnerId learner = kNoId;
  Time time = 0;
  Verb verb = Verb::other;
  ObjectKind object_kind = ObjectKind::none;
  Id object = kNoId;
  PersonId actor = kNoId;  ///< kNoId: the learner acted
  float score = std::numeric_limits<float>::quiet_NaN();
  Tri success = Tri::unknown;
  Tri completion = Tri::unknown;
  float duration = std::numeric_limits<float>::quiet_NaN();
  std::uint32_t count = 1;
};

class EventLog {
 public:
  using Index = std::size_t;

  std::size_t size() const noexcept { return time_.size(); }
  std::size_t learner_count() const noexcept { return offsets_.empty() ? 0 : offsets_.size() - 1; }

  /// Learner l's events are [begin(l), end(l)).
  Index begin(LearnerId l) const noexcept { return static_cast<Index>(offsets_[l]); }
  Index end(LearnerId l) const noexcept { return static_cast<Index>(offsets_[l + 1]); }

  /// The learner of event i (binary search over the offsets: O(log learners)).
  LearnerId learner_of(Index i) const noexcept {
    const auto it = std::upper_bound(offsets_.begin(), offsets_.end(), static_cast<std::uint64_t>(i));
    return static_cast<LearnerId>(it - offsets_.begin() - 1);
  }

  Time time(Index i) const noexcept { return time_[i]; }
  Verb verb(Index i) const noexcept { return verb_[i]; }
  ObjectKind object_kind(Index i) const noexcept { return static_cast<ObjectKind>(flags_[i] & 3u); }
  Id object(Index i) const noexcept { return object_[i]; }
  PersonId actor(Index i) const noexcept { return actor_[i]; }
  float score(Index i) const noexcept { return score_[i]; }
  Tri success(Index i) const noexcept { return static_cast<Tri>((flags_[i] >> 2) & 3u); }
  Tri completion(Index i) const noexcept { return static_cast<Tri>((flags_[i] >> 4) & 3u); }
  float duration(Index i) const noexcept { return duration_[i]; }
  std::uint32_t count(Index i) const noexcept { return count_[i]; }

  Event get(Index i) const noexcept {
    Event e;
    e.learner = learner_of(i);
    e.time = time_[i];
    e.verb = verb_[i];
    e.object_kind = object_kind(i);
    e.object = object_[i];
    e.actor = actor_[i];
    e.score = score_[i];
    e.success = success(i);
    e.completion = completion(i);
    e.duration = duration_[i];
    e.count = count_[i];
    return e;
  }

  // Raw columns, for loops that scan many events.
  const Time* times() const noexcept { return time_.data(); }
  const Verb* verbs() const noexcept { return verb_.data(); }
  const std::uint8_t* flags() const noexcept { return flags_.data(); }
  const Id* objects() const noexcept { return object_.data(); }
  const PersonId* actors() const noexcept { return actor_.data(); }
  const float* scores() const noexcept { return score_.data(); }
  const float* durations() const noexcept { return duration_.data(); }
  const std::uint32_t* counts() const noexcept { return count_.data(); }
  const std::vector<std::uint64_t>& offsets() const noexcept { return offsets_; }

  /// First event of learner l at or after instant t (end(l) if none).
  Index lower_bound(LearnerId l, Time t) const noexcept {
    return static_cast<Index>(std::lower_bound(time_.begin() + begin(l), time_.begin() + end(l), t) - time_.begin());
  }
  /// First event of learner l strictly after instant t (end(l) if none): [begin(l), upper_bound(l, t)) is
  /// everything known at t.
  Index upper_bound(LearnerId l, Time t) const noexcept {
    return static_cast<Index>(std::upper_bound(time_.begin() + begin(l), time_.begin() + end(l), t) - time_.begin());
  }

  /// Bytes held by the columns and the index.
  std::size_t memory_bytes() const noexcept {
    return time_.capacity() * sizeof(Time) + object_.capacity() * sizeof(Id) + actor_.capacity() * sizeof(PersonId) +
           score_.capacity() * sizeof(float) + duration_.capacity() * sizeof(float) +
           count_.capacity() * sizeof(std::uint32_t) + verb_.capacity() + flags_.capacity() +
           offsets_.capacity() * sizeof(std::uint64_t);
  }

  static constexpr std::uint8_t pack_flags(ObjectKind k, Tri success, Tri completion) noexcept {
    return static_cast<std::uint8_t>(static_cast<unsigned>(k) | (static_cast<unsigned>(success) << 2) |
                                     (static_cast<unsigned>(completion) << 4));
  }

  /// Builds a log from events in any order: groups them by learner (stable) and sorts each learner's events
  /// by time (stable, so ties keep their input order). `learners` is the number of learners.
  static EventLog from_events(std::vector<Event> events, std::size_t learners);

  /// Builds a log from unsorted columns (learner per event) — what readers produce. Consumes the columns.
  struct Columns {
    std::vector<LearnerId> learner;
    std::vector<Time> time;
    std::vector<Id> object;
    std::vector<PersonId> actor;
    std::vector<float> score;
    std::vector<float> duration;
    std::vector<std::uint32_t> count;
    std::vector<Verb> verb;
    std::vector<std::uint8_t> flags;

    std::size_t size() const noexcept { return time.size(); }
    void reserve(std::size_t n) {
      learner.reserve(n), time.reserve(n), object.reserve(n), actor.reserve(n), score.reserve(n);
      duration.reserve(n), count.reserve(n), verb.reserve(n), flags.reserve(n);
    }
    void push_back(const Event& e) {
      learner.push_back(e.learner);
      time.push_back(e.time);
      object.push_back(e.object);
      actor.push_back(e.actor);
      score.push_back(e.score);
      duration.push_back(e.duration);
      count.push_back(e.count);
      verb.push_back(e.verb);
      flags.push_back(pack_flags(e.object_kind, e.success, e.completion));
    }
    /// Removes the events whose `keep` flag is 0, preserving order.
    void filter(const std::vector<char>& keep);
  };
  static EventLog from_columns(Columns&& c, std::size_t learners);

 private:
  std::vector<std::uint64_t> offsets_;
  std::vector<Time> time_;
  std::vector<Id> object_;
  std::vector<PersonId> actor_;
  std::vector<float> score_;
  std::vector<float> duration_;
  std::vector<std::uint32_t> count_;
  std::vector<Verb> verb_;
  std::vector<std::uint8_t> flags_;
};

// ---- implementation ---------------------------------------------------------------------------------------

inline void EventLog::Columns::filter(const std::vector<char>& keep) {
  std::size_t w = 0;
  for (std::size_t r = 0; r < size(); ++r) {
    if (!keep[r]) continue;
    if (w != r) {
      learner[w] = learner[r], time[w] = time[r], object[w] = object[r], actor[w] = actor[r];
      score[w] = score[r], duration[w] = duration[r], count[w] = count[r], verb[w] = verb[r], flags[w] = flags[r];
    }
    ++w;
  }
  learner.resize(w), time.resize(w), object.resize(w), actor.resize(w), score.resize(w);
  duration.resize(w), count.resize(w), verb.resize(w), flags.resize(w);
}

inline EventLog EventLog::from_columns(Columns&& c, std::size_t learners) {
  const std::size_t n = c.size();
  EventLog log;
  log.offsets_.assign(learners + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++log.offsets_[c.learner[i] + 1];
  for (std::size_t l = 0; l < learners; ++l) log.offsets_[l + 1] += log.offsets_[l];

  // A stable counting sort by learner, done by scattering each column to its destination: reads are sequential,
  // and the writes of one column go to one stream per learner, whose current lines mostly stay in cache (the
  // others are prefetched). Gathering through a permutation instead misses the cache on nearly every read once
  // the log outgrows it.
  auto group = [&](auto& dest) {
    {
      using D = typename std::decay_t<decltype(dest)>::value_type;
      std::vector<D> next(log.offsets_.begin(), log.offsets_.end() - 1);
      for (std::size_t i = 0; i < n; ++i) dest[i] = next[c.learner[i]]++;
    }
    c.learner.clear();
    c.learner.shrink_to_fit();
    auto scatter = [&](auto& src, auto& dst) {
      dst.resize(n);
      constexpr std::size_t kAhead = 32;  // with many learners the writes miss the cache: ask for the lines early
      for (std::size_t i = 0; i < n; ++i) {
#if defined(__GNUC__)
        if (i + kAhead < n) __builtin_prefetch(dst.data() + dest[i + kAhead], 1);
#endif
        dst[dest[i]] = src[i];
      }
      src.clear();
      src.shrink_to_fit();
    };
    scatter(c.time, log.time_);
    scatter(c.object, log.object_);
    scatter(c.actor, log.actor_);
    scatter(c.score, log.score_);
    scatter(c.duration, log.duration_);
    scatter(c.count, log.count_);
    scatter(c.verb, log.verb_);
    scatter(c.flags, log.flags_);
  };
  if (n <= 0xFFFFFFFFu) {  // 4-byte destinations while they fit: half the memory traffic of this pass
    std::vector<std::uint32_t> dest(n);
    group(dest);
  } else {
    std::vector<std::uint64_t> dest(n);
    group(dest);
  }

  // Then a stable sort by time inside each learner's range, where it is not already in order (logs usually are).
  std::vector<std::size_t> perm;
  for (std::size_t l = 0; l < learners; ++l) {
    const std::size_t b = log.offsets_[l], e = log.offsets_[l + 1];
    if (std::is_sorted(log.time_.begin() + static_cast<std::ptrdiff_t>(b), log.time_.begin() + static_cast<std::ptrdiff_t>(e)))
      continue;
    perm.resize(e - b);
    for (std::size_t k = 0; k < perm.size(); ++k) perm[k] = k;
    std::stable_sort(perm.begin(), perm.end(),
                     [&](std::size_t x, std::size_t y) { return log.time_[b + x] < log.time_[b + y]; });
    auto apply = [&](auto& col) {
      using T = typename std::decay_t<decltype(col)>::value_type;
      std::vector<T> tmp(perm.size());
      for (std::size_t k = 0; k < perm.size(); ++k) tmp[k] = col[b + perm[k]];
      std::copy(tmp.begin(), tmp.end(), col.begin() + static_cast<std::ptrdiff_t>(b));
    };
    apply(log.time_);
    apply(log.object_);
    apply(log.actor_);
    apply(log.score_);
    apply(log.duration_);
    apply(log.count_);
    apply(log.verb_);
    apply(log.flags_);
  }
  return log;
}

inline EventLog EventLog::from_events(std::vector<Event> events, std::size_t learners) {
  Columns c;
  c.reserve(events.size());
  for (const Event& e : events) c.push_back(e);
  events.clear();
  events.shrink_to_fit();
  return from_columns(std::move(c), learners);
}

LIEN_END_NAMESPACE
