//! R: references between rows and to the referential.
pub mod r001_duplicate_id;
pub mod r002_unknown_partner;
pub mod r003_unknown_objective;
pub mod r004_unknown_parc;
pub mod r005_unused_partner;
pub mod r006_shared_siret;
