use chrono::Datelike;
use rust_decimal::Decimal;

use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::figures::period::annualise_year;
use crate::model::Statut;
use crate::model::schema::convention;
use crate::text::french::format_euros;

pub static RULE: Rule = Rule {
    code: "M003",
    name: "unsigned_above_threshold",
    severity: Severity::Avertissement,
    summary: "plus de 23 000 € par an et pas de date de signature",
    explanation: "\
## Ce que vérifie la règle
Une convention dont le montant, ramené à une année civile, dépasse 23 000 € (seuil du
référentiel) doit avoir une date de signature, sauf si elle est encore en projet ou résiliée.

## Pourquoi c'est important
Au-delà de 23 000 € par an, une subvention à un organisme privé exige une convention écrite
et signée définissant son objet, son montant et ses conditions (loi 2000-321, article 10 ;
décret 2001-495).

## Comment corriger
Renseignez la date de signature ; si la convention n'est pas encore signée, mettez son statut
à « projet ».",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    let threshold = ctx.referential.thresholds.signed_convention_threshold;
    for c in &ctx.rows.conventions {
        if !c.date_signature.is_empty()
            || matches!(c.statut.value(), Some(Statut::Projet | Statut::Resiliee))
        {
            continue;
        }
        let (Some(total), Some(start), Some(end)) = (
            c.montant_total.value(),
            c.date_debut.value(),
            c.date_fin.value(),
        ) else {
            continue;
        };
        if end < start {
            continue;
        }
        let yearly: Decimal = (start.year()..=end.year())
            .map(|y| annualise_year(total, start, end, y))
            .max()
            .unwrap_or(total);
        if yearly > threshold {
            ctx.push(out, &RULE, c.origin, || Diagnostic::new(
                    &RULE,
                    format!(
                        "jusqu'à {} par an sans date de signature (convention écrite et signée obligatoire au-delà de {})",
                        format_euros(yearly),
                        format_euros(threshold)
                    ),
                )
                .at_cell(&ctx.sheet, c.origin, c.date_signature.col, convention::DATE_SIGNATURE.name())
                .record(c.origin)
                .expected("la date de signature de la convention"),);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::{Field, Parsed};

    #[test]
    fn fires_above_the_threshold_without_signature() {
        let mut c = convention("C-1");
        c.montant_total = ok(11, money("30000"));
        c.date_signature = Field::new(Some(8), Parsed::Empty);
        assert_eq!(run_on_convention(&RULE, c).len(), 1);
    }

    #[test]
    fn silent_when_signed_spread_or_a_project() {
        let mut c = convention("C-1");
        c.montant_total = ok(11, money("30000"));
        assert!(run_on_convention(&RULE, c.clone()).is_empty(), "signed");
        c.date_signature = Field::new(Some(8), Parsed::Empty);
        c.statut = ok(15, Statut::Projet);
        assert!(run_on_convention(&RULE, c.clone()).is_empty(), "project");
        // 40 000 € over 2018–2019: 20 000 € a year.
        c.statut = ok(15, Statut::EnCours);
        c.date_debut = ok(9, date("2018-01-01"));
        c.date_fin = ok(10, date("2019-12-31"));
        assert!(run_on_convention(&RULE, c).is_empty(), "spread");
    }
}
