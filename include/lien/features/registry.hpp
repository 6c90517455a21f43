// lien/features/registry.hpp — the built-in features: stable ids, units, descriptions, explanation sentences.
//
// A feature id is part of model files and of the C ABI: once released it is never renamed or reused, and new
// features are appended at the end of the table (the column order of a full extraction is the table order).
// Each feature carries what a person needs to read it: a unit, a description in English and French, how it
// usually relates to dropout, and sentence templates that turn the learner's own value into a phrase
// ("no activity for 12 working days" / "aucune activité depuis 12 jours ouvrés"). docs/features.md
// documents every entry of this table precisely.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "lien/core/config.hpp"

LIEN_BEGIN_NAMESPACE

/// Languages of explanation sentences.
enum class Lang : std::uint8_t { en, fr };

/// Built-in features, in column order. The numeric values are the column indices of a full extraction.
enum class FeatureId : std::uint16_t {
  inactive_working_days,
  active_days_7d,
  active_days_14d,
  active_days_28d,
  activity_events_28d,
  activity_events_total,
  activity_trend,
  active_weeks_4w,
  activity_gap_cv,
  required_done_share,
  behind_schedule_working_days,
  overdue_required_steps,
  next_deadline_working_days,
  has_upcoming_deadline,
  has_assessment_score,
  assessment_mean_score,
  assessment_last_score,
  assessment_failed_attempts,
  assessment_missed,
  attendance_rate,
  peer_interactions_28d,
  peer_silence_working_days,
  isolated_from_peers,
  has_manager,
  manager_silence_working_days,
  has_tutor,
  tutor_silence_working_days,
  enrolment_age_working_days,
  phase_before,
  phase_during,
  phase_intersession,
  phase_after,
  prior_attempts,
  concurrent_enrolments,
  active_days_28d_vs_instance,
  activity_events_28d_vs_instance,
  activity_events_total_vs_instance,
};
inline constexpr std::size_t kFeatureCount = 37;

/// How a value is written in a sentence.
enum class ValueFormat : std::uint8_t {
  count,    ///< a whole number: "12"
  percent,  ///< a share in [0, 1] written as a percentage: "40%" / "40 %"
  score,    ///< a scaled score in [-1, 1] written as a percentage: "72%"
  ratio,    ///< one decimal: "1.5" / "1,5"
  slope,    ///< one decimal, the sign chooses the sentence: "falling by 3.5"
  decimal,  ///< two decimals: "0.42" / "0,42"
  flag      ///< 0 or 1, the value chooses the sentence
};

/// Sentence templates of one language. `{v}` stands for the formatted value (its absolute value in the
/// negative templates). Empty templates fall back: zero -> many, negative_* -> many with the signed value.
/// Plurals follow the language: English singular for exactly 1, French singular below 2 (0,5 jour, 1 jour).
struct Phrase {
  std::string_view one;            ///< value 1 (English) / below 2 (French); for flags: value 1
  std::string_view many;           ///< other values
  std::string_view zero;           ///< value 0 (flags: value 0)
  std::string_view negative_one;   ///< value -1 (slopes)
  std::string_view negative_many;  ///< other negative values (slopes)
};

struct FeatureInfo {
  FeatureId id;
  std::string_view name;  ///< the stable snake_case id
  std::string_view group;
  std::string_view unit;
  ValueFormat format;
  std::string_view description_en;
  std::string_view description_fr;
  std::string_view direction;  ///< how higher values usually relate to dropout (a note, not a model output)
  Phrase en;
  Phrase fr;
};

// clang-format off
inline constexpr std::array<FeatureInfo, kFeatureCount> kFeatures = {{
  {FeatureId::inactive_working_days, "inactive_working_days", "activity", "working days", ValueFormat::count,
   "Working days since the learner's last activity (or since the enrolment start if later or if there is none).",
   "Jours ouvrés écoulés depuis la dernière activité de l'apprenant (ou depuis le début de l'inscription s'il est plus récent ou s'il n'y en a aucune).",
   "higher: more risk",
   {"no activity for {v} working day", "no activity for {v} working days", "activity during the last working day", "", ""},
   {"aucune activité depuis {v} jour ouvré", "aucune activité depuis {v} jours ouvrés", "activité au cours du dernier jour ouvré", "", ""}},
  {FeatureId::active_days_7d, "active_days_7d", "activity", "days", ValueFormat::count,
   "Distinct local days with learner activity among the last 7 calendar days (weekends and holidays included).",
   "Nombre de jours distincts avec une activité de l'apprenant parmi les 7 derniers jours calendaires (week-ends et jours fériés compris).",
   "higher: less risk",
   {"active on {v} day of the last 7", "active on {v} days of the last 7", "no activity in the last 7 days", "", ""},
   {"{v} jour d'activité sur les 7 derniers", "{v} jours d'activité sur les 7 derniers", "aucune activité ces 7 derniers jours", "", ""}},
  {FeatureId::active_days_14d, "active_days_14d", "activity", "days", ValueFormat::count,
   "Distinct local days with learner activity among the last 14 calendar days.",
   "Nombre de jours distincts avec une activité de l'apprenant parmi les 14 derniers jours calendaires.",
   "higher: less risk",
   {"active on {v} day of the last 14", "active on {v} days of the last 14", "no activity in the last 14 days", "", ""},
   {"{v} jour d'activité sur les 14 derniers", "{v} jours d'activité sur les 14 derniers", "aucune activité ces 14 derniers jours", "", ""}},
  {FeatureId::active_days_28d, "active_days_28d", "activity", "days", ValueFormat::count,
   "Distinct local days with learner activity among the last 28 calendar days.",
   "Nombre de jours distincts avec une activité de l'apprenant parmi les 28 derniers jours calendaires.",
   "higher: less risk",
   {"active on {v} day of the last 28", "active on {v} days of the last 28", "no activity in the last 28 days", "", ""},
   {"{v} jour d'activité sur les 28 derniers", "{v} jours d'activité sur les 28 derniers", "aucune activité ces 28 derniers jours", "", ""}},
  {FeatureId::activity_events_28d, "activity_events_28d", "activity", "events", ValueFormat::count,
   "Learner activity events in the last 28 calendar days, each counted `count` times (aggregated logs).",
   "Nombre d'actions de l'apprenant sur les 28 derniers jours calendaires, chacune comptée `count` fois (journaux agrégés).",
   "higher: less risk",
   {"{v} learning action in the last 28 days", "{v} learning actions in the last 28 days", "no learning action in the last 28 days", "", ""},
   {"{v} action d'apprentissage sur les 28 derniers jours", "{v} actions d'apprentissage sur les 28 derniers jours", "aucune action d'apprentissage sur les 28 derniers jours", "", ""}},
  {FeatureId::activity_events_total, "activity_events_total", "activity", "events", ValueFormat::count,
   "Learner activity events from 28 days before the enrolment start up to as_of, each counted `count` times.",
   "Nombre d'actions de l'apprenant depuis 28 jours avant le début de l'inscription, chacune comptée `count` fois.",
   "higher: less risk",
   {"{v} learning action since the enrolment began", "{v} learning actions since the enrolment began", "no learning action since the enrolment began", "", ""},
   {"{v} action d'apprentissage depuis le début de l'inscription", "{v} actions d'apprentissage depuis le début de l'inscription", "aucune action d'apprentissage depuis le début de l'inscription", "", ""}},
  {FeatureId::activity_trend, "activity_trend", "activity", "events per week, per week", ValueFormat::slope,
   "Least-squares slope of the weekly activity event counts over the last 4 weeks (oldest to newest).",
   "Pente (moindres carrés) du nombre hebdomadaire d'actions sur les 4 dernières semaines (de la plus ancienne à la plus récente).",
   "lower (falling): more risk",
   {"activity rising by {v} action a week over the last 4 weeks", "activity rising by {v} actions a week over the last 4 weeks", "steady activity over the last 4 weeks",
    "activity falling by {v} action a week over the last 4 weeks", "activity falling by {v} actions a week over the last 4 weeks"},
   {"activité en hausse de {v} action par semaine sur 4 semaines", "activité en hausse de {v} actions par semaine sur 4 semaines", "activité stable sur les 4 dernières semaines",
    "activité en baisse de {v} action par semaine sur 4 semaines", "activité en baisse de {v} actions par semaine sur 4 semaines"}},
  {FeatureId::active_weeks_4w, "active_weeks_4w", "activity", "weeks", ValueFormat::count,
   "Regularity: how many of the last 4 weeks (7-day blocks ending at as_of) contain any learner activity.",
   "Régularité : nombre de semaines, parmi les 4 dernières (blocs de 7 jours se terminant à as_of), avec au moins une activité.",
   "higher: less risk",
   {"active in {v} of the last 4 weeks", "active in {v} of the last 4 weeks", "active in none of the last 4 weeks", "", ""},
   {"{v} semaine active sur les 4 dernières", "{v} semaines actives sur les 4 dernières", "aucune semaine d'activité sur les 4 dernières", "", ""}},
  {FeatureId::activity_gap_cv, "activity_gap_cv", "activity", "ratio", ValueFormat::decimal,
   "Irregularity: coefficient of variation (population standard deviation / mean) of the gaps in days between consecutive active days of the last 28 days; 0 with fewer than two gaps.",
   "Irrégularité : coefficient de variation (écart type / moyenne) des écarts en jours entre jours d'activité consécutifs sur 28 jours ; 0 s'il y a moins de deux écarts.",
   "higher: more risk",
   {"irregular activity (gap variation {v})", "irregular activity (gap variation {v})", "activity at regular intervals", "", ""},
   {"activité irrégulière (variation des écarts {v})", "activité irrégulière (variation des écarts {v})", "activité à intervalles réguliers", "", ""}},
  {FeatureId::required_done_share, "required_done_share", "pace", "share", ValueFormat::percent,
   "Share of the required steps due before as_of's day (Cohort::required_due_by of the previous day) that are done; 1 when none is due.",
   "Part des étapes obligatoires échues avant le jour d'as_of (Cohort::required_due_by de la veille) qui sont faites ; 1 si aucune n'est échue.",
   "lower: more risk",
   {"{v} of the required steps due so far are done", "{v} of the required steps due so far are done", "none of the required steps due so far is done", "", ""},
   {"{v} des étapes obligatoires échues sont faites", "{v} des étapes obligatoires échues sont faites", "aucune des étapes obligatoires échues n'est faite", "", ""}},
  {FeatureId::behind_schedule_working_days, "behind_schedule_working_days", "pace", "working days", ValueFormat::count,
   "Working days since the due day of the oldest overdue required step (0 when none is overdue).",
   "Jours ouvrés écoulés depuis l'échéance de la plus ancienne étape obligatoire en retard (0 s'il n'y en a pas).",
   "higher: more risk",
   {"{v} working day behind schedule", "{v} working days behind schedule", "on schedule", "", ""},
   {"{v} jour ouvré de retard sur le plan", "{v} jours ouvrés de retard sur le plan", "dans les temps", "", ""}},
  {FeatureId::overdue_required_steps, "overdue_required_steps", "pace", "steps", ValueFormat::count,
   "Required steps due before as_of's day and not done.",
   "Étapes obligatoires échues avant le jour d'as_of et non faites.",
   "higher: more risk",
   {"{v} required step overdue", "{v} required steps overdue", "no required step overdue", "", ""},
   {"{v} étape obligatoire en retard", "{v} étapes obligatoires en retard", "aucune étape obligatoire en retard", "", ""}},
  {FeatureId::next_deadline_working_days, "next_deadline_working_days", "pace", "working days", ValueFormat::count,
   "Working days from as_of to the due day of the next required step not done (capped at the deadline horizon, 60 by default; the horizon when there is none).",
   "Jours ouvrés d'as_of jusqu'à l'échéance de la prochaine étape obligatoire non faite (plafonné à l'horizon, 60 par défaut ; l'horizon s'il n'y en a pas).",
   "lower: more pressure",
   {"next deadline in {v} working day", "next deadline in {v} working days", "a deadline today", "", ""},
   {"prochaine échéance dans {v} jour ouvré", "prochaine échéance dans {v} jours ouvrés", "une échéance aujourd'hui", "", ""}},
  {FeatureId::has_upcoming_deadline, "has_upcoming_deadline", "pace", "flag", ValueFormat::flag,
   "1 when a required step not done has a due day on or after as_of's day.",
   "1 si une étape obligatoire non faite a une échéance à partir du jour d'as_of.",
   "indicator",
   {"a required step is still to come", "", "no required step left with a deadline", "", ""},
   {"une étape obligatoire reste à venir", "", "plus aucune étape obligatoire datée à venir", "", ""}},
  {FeatureId::has_assessment_score, "has_assessment_score", "assessment", "flag", ValueFormat::flag,
   "1 when at least one scored event (an assessment result) is known at as_of; the score features are 0 otherwise.",
   "1 si au moins un résultat d'évaluation (événement avec score) est connu à as_of ; sinon les scores valent 0.",
   "indicator",
   {"at least one assessment scored", "", "no assessment scored yet", "", ""},
   {"au moins une évaluation notée", "", "aucune évaluation notée pour l'instant", "", ""}},
  {FeatureId::assessment_mean_score, "assessment_mean_score", "assessment", "scaled score", ValueFormat::score,
   "Mean scaled score ([-1, 1]) of the scored events of the enrolment (0 when none).",
   "Score normalisé moyen ([-1, 1]) des résultats d'évaluation de l'inscription (0 s'il n'y en a pas).",
   "lower: more risk",
   {"mean assessment score {v}", "mean assessment score {v}", "mean assessment score 0%", "", ""},
   {"score moyen aux évaluations : {v}", "score moyen aux évaluations : {v}", "score moyen aux évaluations : 0 %", "", ""}},
  {FeatureId::assessment_last_score, "assessment_last_score", "assessment", "scaled score", ValueFormat::score,
   "Scaled score of the latest scored event (0 when none).",
   "Score normalisé du dernier résultat d'évaluation (0 s'il n'y en a pas).",
   "lower: more risk",
   {"last assessment score {v}", "last assessment score {v}", "last assessment score 0%", "", ""},
   {"dernier score d'évaluation : {v}", "dernier score d'évaluation : {v}", "dernier score d'évaluation : 0 %", "", ""}},
  {FeatureId::assessment_failed_attempts, "assessment_failed_attempts", "assessment", "attempts", ValueFormat::count,
   "Failed attempts: events of the enrolment with verb `failed` or success = no, each counted `count` times.",
   "Tentatives échouées : événements de l'inscription au verbe `failed` ou avec success = non, comptés `count` fois.",
   "higher: more risk",
   {"{v} failed attempt", "{v} failed attempts", "no failed attempt", "", ""},
   {"{v} tentative échouée", "{v} tentatives échouées", "aucune tentative échouée", "", ""}},
  {FeatureId::assessment_missed, "assessment_missed", "assessment", "assessments", ValueFormat::count,
   "Assessment and assignment steps due before as_of's day that the learner never attempted.",
   "Évaluations et devoirs échus avant le jour d'as_of jamais tentés par l'apprenant.",
   "higher: more risk",
   {"{v} assessment missed", "{v} assessments missed", "no assessment missed", "", ""},
   {"{v} évaluation manquée", "{v} évaluations manquées", "aucune évaluation manquée", "", ""}},
  {FeatureId::attendance_rate, "attendance_rate", "attendance", "share", ValueFormat::percent,
   "Classroom and virtual sessions attended / (attended + marked absent + past sessions with no record); 1 when there is none yet.",
   "Sessions présentielles et classes virtuelles suivies / (suivies + absences + sessions passées sans trace) ; 1 s'il n'y en a pas encore.",
   "lower: more risk",
   {"attended {v} of the sessions held so far", "attended {v} of the sessions held so far", "attended none of the sessions held so far", "", ""},
   {"présence à {v} des sessions passées", "présence à {v} des sessions passées", "absence à toutes les sessions passées", "", ""}},
  {FeatureId::peer_interactions_28d, "peer_interactions_28d", "social", "interactions", ValueFormat::count,
   "Interactions (replied, messaged, met) with other learners in the last 28 days, in either direction, each counted `count` times.",
   "Échanges (réponses, messages, rencontres) avec d'autres apprenants sur les 28 derniers jours, dans les deux sens, comptés `count` fois.",
   "higher: less risk",
   {"{v} interaction with peers in the last 28 days", "{v} interactions with peers in the last 28 days", "no interaction with peers in the last 28 days", "", ""},
   {"{v} échange avec les pairs sur les 28 derniers jours", "{v} échanges avec les pairs sur les 28 derniers jours", "aucun échange avec les pairs sur les 28 derniers jours", "", ""}},
  {FeatureId::peer_silence_working_days, "peer_silence_working_days", "social", "working days", ValueFormat::count,
   "Working days since the last interaction with another learner (or since the enrolment start if later or if there is none).",
   "Jours ouvrés depuis le dernier échange avec un autre apprenant (ou depuis le début de l'inscription s'il est plus récent ou s'il n'y en a aucun).",
   "higher: more risk",
   {"no interaction with peers for {v} working day", "no interaction with peers for {v} working days", "interaction with a peer during the last working day", "", ""},
   {"aucun échange avec les pairs depuis {v} jour ouvré", "aucun échange avec les pairs depuis {v} jours ouvrés", "échange avec un pair au cours du dernier jour ouvré", "", ""}},
  {FeatureId::isolated_from_peers, "isolated_from_peers", "social", "flag", ValueFormat::flag,
   "1 when peer_silence_working_days >= the isolation threshold (20 working days by default).",
   "1 si peer_silence_working_days atteint le seuil d'isolement (20 jours ouvrés par défaut).",
   "1: more risk",
   {"isolated from peers", "", "in touch with peers", "", ""},
   {"isolement vis-à-vis des pairs", "", "en lien avec les pairs", "", ""}},
  {FeatureId::has_manager, "has_manager", "stakeholders", "flag", ValueFormat::flag,
   "1 when the learner reports to at least one manager at as_of (Cohort::managers).",
   "1 si l'apprenant a au moins un responsable hiérarchique à as_of (Cohort::managers).",
   "indicator",
   {"a manager is known", "", "no manager on record", "", ""},
   {"une hiérarchie est connue", "", "aucune hiérarchie connue", "", ""}},
  {FeatureId::manager_silence_working_days, "manager_silence_working_days", "stakeholders", "working days", ValueFormat::count,
   "Working days since the last event whose actor or object is one of the learner's managers at as_of (or since the enrolment start if later, if none, or if no manager).",
   "Jours ouvrés depuis le dernier événement dont l'acteur ou l'objet est un responsable de l'apprenant à as_of (ou depuis le début de l'inscription).",
   "higher: more risk",
   {"no contact with the manager for {v} working day", "no contact with the manager for {v} working days", "contact with the manager during the last working day", "", ""},
   {"aucun contact avec sa hiérarchie depuis {v} jour ouvré", "aucun contact avec sa hiérarchie depuis {v} jours ouvrés", "contact avec sa hiérarchie au cours du dernier jour ouvré", "", ""}},
  {FeatureId::has_tutor, "has_tutor", "stakeholders", "flag", ValueFormat::flag,
   "1 when the enrolment has at least one tutor at as_of (Cohort::tutors: tutors of the learner or of the path instance).",
   "1 si l'inscription a au moins un tuteur ou une tutrice à as_of (Cohort::tutors).",
   "indicator",
   {"a tutor is assigned", "", "no tutor assigned", "", ""},
   {"un tutorat est en place", "", "aucun tutorat en place", "", ""}},
  {FeatureId::tutor_silence_working_days, "tutor_silence_working_days", "stakeholders", "working days", ValueFormat::count,
   "Working days since the last event whose actor or object is one of the enrolment's tutors at as_of (or since the enrolment start if later, if none, or if no tutor).",
   "Jours ouvrés depuis le dernier événement dont l'acteur ou l'objet est un tuteur ou une tutrice de l'inscription à as_of (ou depuis le début de l'inscription).",
   "higher: more risk",
   {"no contact with the tutor for {v} working day", "no contact with the tutor for {v} working days", "contact with the tutor during the last working day", "", ""},
   {"aucun contact avec le tutorat depuis {v} jour ouvré", "aucun contact avec le tutorat depuis {v} jours ouvrés", "contact avec le tutorat au cours du dernier jour ouvré", "", ""}},
  {FeatureId::enrolment_age_working_days, "enrolment_age_working_days", "enrolment", "working days", ValueFormat::count,
   "Working days d with start day < d <= as_of's day.",
   "Jours ouvrés d tels que jour de début < d <= jour d'as_of.",
   "context",
   {"enrolled for {v} working day", "enrolled for {v} working days", "enrolled less than one working day ago", "", ""},
   {"inscription depuis {v} jour ouvré", "inscription depuis {v} jours ouvrés", "inscription depuis moins d'un jour ouvré", "", ""}},
  {FeatureId::phase_before, "phase_before", "enrolment", "flag", ValueFormat::flag,
   "1 when the current phase is `before` (amont). Current phase: the phase of the dated step with the earliest due day on or after as_of's day; `after` when every due day has passed; `during` when no step is dated.",
   "1 si la phase courante est l'amont. Phase courante : celle de l'étape datée dont l'échéance est la plus proche à partir du jour d'as_of ; aval si toutes sont passées ; pendant si aucune n'est datée.",
   "context",
   {"before the training", "", "not in the phase before the training", "", ""},
   {"en amont de la formation", "", "hors de la phase amont", "", ""}},
  {FeatureId::phase_during, "phase_during", "enrolment", "flag", ValueFormat::flag,
   "1 when the current phase is `during` (see phase_before).",
   "1 si la phase courante est « pendant » (voir phase_before).",
   "context",
   {"during the training", "", "not in the phase during the training", "", ""},
   {"pendant la formation", "", "hors de la phase de formation", "", ""}},
  {FeatureId::phase_intersession, "phase_intersession", "enrolment", "flag", ValueFormat::flag,
   "1 when the current phase is `intersession` (see phase_before).",
   "1 si la phase courante est l'intersession (voir phase_before).",
   "context",
   {"in an intersession", "", "not in an intersession", "", ""},
   {"en intersession", "", "hors intersession", "", ""}},
  {FeatureId::phase_after, "phase_after", "enrolment", "flag", ValueFormat::flag,
   "1 when the current phase is `after` (aval) (see phase_before).",
   "1 si la phase courante est l'aval (voir phase_before).",
   "context",
   {"after the training", "", "not in the phase after the training", "", ""},
   {"en aval de la formation", "", "hors de la phase aval", "", ""}},
  {FeatureId::prior_attempts, "prior_attempts", "enrolment", "attempts", ValueFormat::count,
   "Earlier attempts at the same course: the larger of the declared prior_attempts and the learner's enrolments on a path of the same course that started earlier.",
   "Tentatives antérieures de la même formation : le plus grand du nombre déclaré et des inscriptions antérieures de l'apprenant sur un parcours de la même formation.",
   "higher: more risk",
   {"{v} earlier attempt at this course", "{v} earlier attempts at this course", "first attempt at this course", "", ""},
   {"{v} tentative antérieure de cette formation", "{v} tentatives antérieures de cette formation", "première tentative de cette formation", "", ""}},
  {FeatureId::concurrent_enrolments, "concurrent_enrolments", "enrolment", "enrolments", ValueFormat::count,
   "Other enrolments of the learner started at or before as_of and still active at as_of.",
   "Autres inscriptions de l'apprenant commencées au plus tard à as_of et encore actives à as_of.",
   "higher: more load",
   {"{v} other enrolment in progress", "{v} other enrolments in progress", "no other enrolment in progress", "", ""},
   {"{v} autre inscription en cours", "{v} autres inscriptions en cours", "aucune autre inscription en cours", "", ""}},
  {FeatureId::active_days_28d_vs_instance, "active_days_28d_vs_instance", "relative", "ratio", ValueFormat::ratio,
   "(active_days_28d + 1) / (median active_days_28d of the path instance's enrolments in the population at as_of + 1).",
   "(active_days_28d + 1) / (médiane d'active_days_28d des inscriptions du même groupe présentes à as_of + 1).",
   "lower: more risk",
   {"{v} times the group's median number of active days (last 28 days)", "{v} times the group's median number of active days (last 28 days)", "", "", ""},
   {"{v} fois la médiane du groupe en jours d'activité (28 derniers jours)", "{v} fois la médiane du groupe en jours d'activité (28 derniers jours)", "", "", ""}},
  {FeatureId::activity_events_28d_vs_instance, "activity_events_28d_vs_instance", "relative", "ratio", ValueFormat::ratio,
   "(activity_events_28d + 1) / (median activity_events_28d of the path instance's population at as_of + 1).",
   "(activity_events_28d + 1) / (médiane d'activity_events_28d du groupe présent à as_of + 1).",
   "lower: more risk",
   {"{v} times the group's median activity (last 28 days)", "{v} times the group's median activity (last 28 days)", "", "", ""},
   {"{v} fois l'activité médiane du groupe (28 derniers jours)", "{v} fois l'activité médiane du groupe (28 derniers jours)", "", "", ""}},
  {FeatureId::activity_events_total_vs_instance, "activity_events_total_vs_instance", "relative", "ratio", ValueFormat::ratio,
   "(activity_events_total + 1) / (median activity_events_total of the path instance's population at as_of + 1).",
   "(activity_events_total + 1) / (médiane d'activity_events_total du groupe présent à as_of + 1).",
   "lower: more risk",
   {"{v} times the group's median activity since the start", "{v} times the group's median activity since the start", "", "", ""},
   {"{v} fois l'activité médiane du groupe depuis le début", "{v} fois l'activité médiane du groupe depuis le début", "", "", ""}},
}};
// clang-format on

static_assert(static_cast<std::size_t>(FeatureId::activity_events_total_vs_instance) + 1 == kFeatureCount,
              "kFeatureCount must follow the FeatureId enum");
static_assert(
    [] {
      for (std::size_t i = 0; i < kFeatures.size(); ++i)
        if (static_cast<std::size_t>(kFeatures[i].id) != i || kFeatures[i].name.empty()) return false;
      return true;
    }(),
    "kFeatures must list every FeatureId once, in enum order");

constexpr const FeatureInfo& feature_info(FeatureId f) noexcept { return kFeatures[static_cast<std::size_t>(f)]; }
constexpr std::string_view to_string(FeatureId f) noexcept { return kFeatures[static_cast<std::size_t>(f)].name; }

/// The built-in feature named `id`, or nullptr.
inline const FeatureInfo* find_feature(std::string_view id) noexcept {
  for (const FeatureInfo& f : kFeatures)
    if (f.name == id) return &f;
  return nullptr;
}

/// The explanation sentence of a built-in feature for the learner's own value, e.g. describe("inactive_working_days",
/// 12, Lang::fr) == "aucune activité depuis 12 jours ouvrés". Throws NotFound for an unknown id and
/// InvalidArgument for a non-finite value.
std::string describe(std::string_view feature, double value, Lang lang);
std::string describe(FeatureId feature, double value, Lang lang);

/// The value as a sentence writes it (`format` rules, in the language's conventions: "0.5" / "0,5", "40%" / "40 %").
std::string format_value(ValueFormat format, double value, Lang lang);

/// "en" or "fr" -> Lang; throws InvalidArgument otherwise.
Lang parse_lang(std::string_view text);

LIEN_END_NAMESPACE
