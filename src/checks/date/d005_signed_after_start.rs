use crate::checks::{Context, Diagnostic, Pass, Rule, Severity};
use crate::model::RecordRef;

pub static RULE: Rule = Rule {
    code: "D005",
    name: "signed_after_start",
    severity: Severity::Avertissement,
    summary: "convention signée après son début",
    explanation: "\
## Ce que vérifie la règle
La date de signature d'une convention devrait précéder (ou égaler) sa date de début.

## Pourquoi c'est important
Une convention signée après le début des actions est une régularisation : à signaler à la
Région, car les dépenses engagées avant la signature peuvent ne pas être éligibles.

## Comment corriger
Vérifiez la date de signature. Si la régularisation est réelle, l'avertissement peut rester ;
mentionnez-la dans le compte rendu.",
    check,
    pass: Pass::Row,
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, c) in ctx.ds.convention_rows.iter().enumerate() {
        if let (Some(signed), Some(start)) = (c.date_signature.value(), c.date_debut.value())
            && signed > start
        {
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!(
                        "convention signée le {}, après son début le {}",
                        signed.format("%d/%m/%Y"),
                        start.format("%d/%m/%Y")
                    ),
                )
                .at_cell(ctx.ds, c.origin, c.date_signature.col, "date_signature")
                .record(RecordRef::Convention(i as u32))
                .value(signed.format("%d/%m/%Y").to_string())
                .expected(format!(
                    "une date au plus tard le {}",
                    start.format("%d/%m/%Y")
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_when_signed_late() {
        let mut c = convention("C-1");
        c.date_signature = ok(8, date("2019-03-01"));
        assert_eq!(run_on_convention(&RULE, c).len(), 1);
    }

    #[test]
    fn silent_when_signed_before_or_on_the_day() {
        let mut c = convention("C-1");
        c.date_signature = ok(8, date("2019-02-01"));
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
