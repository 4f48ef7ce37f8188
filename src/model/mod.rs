//! The typed data set: what the ingest layer builds and every check and figure reads.

pub mod dataset;
pub mod field;
pub mod record;
pub mod referential;
pub mod schema;
pub mod value;
pub mod vocab;

pub use dataset::{
    DataSet, FileStatus, HeaderCell, LinkProblem, MergedData, MergedRange, NoteRow, RowChunk,
    SheetAt, SheetId, SheetInfo, SheetKind, SkippedLink, SourceFile, TotalAmount, TotalLevel,
    TotalRow, UnreadTable,
};
pub use field::{AnyField, Field, Parsed, Problem, Text};
pub use record::{
    Convention, ConventionCore, ConventionLinks, ConventionTexts, IndicatorValue, Origin, Partner,
    PartnerCore,
};
pub use referential::Referential;
pub use value::CellValue;
pub use vocab::{Echelle, PartnerType, Statut};
