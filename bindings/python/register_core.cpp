// Calendar and time helpers.
#include <pybind11/stl.h>

#include "lien/core/calendar.hpp"
#include "lien/core/error.hpp"
#include "register.hpp"

namespace lien_py {

void register_core(py::module_& m) {
  using lien::Calendar;
  py::class_<Calendar>(m, "Calendar")
      .def(py::init<>())
      .def(py::init([](const std::string& tz, const std::string& working_days, std::vector<lien::Day> holidays) {
             return Calendar(tz, Calendar::parse_week_mask(working_days), std::move(holidays));
           }),
           py::arg("time_zone") = "UTC0", py::arg("working_days") = "Mon-Fri",
           py::arg("holidays") = std::vector<lien::Day>{})
      .def_property_readonly("time_zone", &Calendar::time_zone)
      .def_property_readonly("working_days",
                             [](const Calendar& c) { return Calendar::format_week_mask(c.working_days()); })
      .def_property_readonly("holidays", &Calendar::holidays)
      .def("local_day", &Calendar::local_day, py::arg("time_ms"))
      .def("is_working_day", &Calendar::is_working_day, py::arg("day"))
      .def("working_days_between", py::overload_cast<lien::Day, lien::Day>(&Calendar::working_days_between, py::const_),
           py::arg("a"), py::arg("b"))
      .def("add_working_days", &Calendar::add_working_days, py::arg("day"), py::arg("n"))
      .def("local_to_utc", &Calendar::local_to_utc, py::arg("local_ms"))
      .def("utc_offset", &Calendar::utc_offset, py::arg("time_ms"))
      .def("start_of_day", &Calendar::start_of_day, py::arg("day"))
      .def("parse_instant",
           [](const Calendar& c, const std::string& text) {
             lien::ParsedTimestamp p;
             const char* why = "bad timestamp";
             if (!lien::parse_timestamp(text, p, &why))
               throw lien::InvalidArgument("date '" + text + "': " + why);
             return c.to_instant(p);
           },
           py::arg("text"), "The instant of an ISO 8601 date or timestamp (no offset: local time; a date: its start).")
      .def_static("french_holidays", &Calendar::french_holidays, py::arg("year_from"), py::arg("year_to"));
}

}  // namespace lien_py
