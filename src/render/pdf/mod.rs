//! The PDF partnership report (DESIGN §8): a small layout layer over printpdf 0.12.
