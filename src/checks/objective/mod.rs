//! O: consistency with the objectives of the convention (the year's figures and the programmes).
pub mod o001_objective_without_convention;
pub mod o002_indicator_below_target;
pub mod o003_unknown_indicator;
pub mod o004_missing_programme;
pub mod o005_member_parc_without_convention;
pub mod o006_too_few_associations;
pub mod o007_no_local_actor;
pub mod o008_outside_programme_dates;
