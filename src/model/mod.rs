//! The typed data set: what the ingest layer builds and every check and figure reads.

pub mod dataset;
pub mod field;
pub mod record;
pub mod referential;
pub mod vocab;

pub use dataset::{DataSet, FileStatus, SheetInfo, SheetKind, SourceFile};
pub use field::{Field, Parsed, Problem};
pub use record::{
    Convention, ConventionCore, ConventionLinks, ConventionTexts, IndicatorValue, Origin, Partner,
    PartnerCore, RecordRef,
};
pub use referential::Referential;
pub use vocab::{Echelle, PartnerType, Statut};
