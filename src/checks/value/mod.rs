//! V: the value of one cell.
pub mod identifiers;
pub mod v001_required_empty;
pub mod v002_wrong_type;
pub mod v003_vocabulary;
pub mod v004_negative_amount;
pub mod v005_siret;
pub mod v006_rna;
pub mod v007_postal_code;
pub mod v008_email_phone;
pub mod v009_formula_without_value;
