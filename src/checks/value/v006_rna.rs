use super::identifiers::is_rna;
use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::PartnerType;
use crate::model::schema::partner;
use crate::text::echo::bound;

pub static RULE: Rule = Rule {
    code: "V006",
    name: "rna",
    severity: Severity::Avertissement,
    summary: "RNA invalide, ou association sans RNA ni SIRET",
    explanation: "\
## Ce que vérifie la règle
Le numéro RNA d'une association s'écrit W suivi de 9 chiffres (W595012345). Une association
sans RNA ni SIRET est aussi signalée.

## Pourquoi c'est important
Une association subventionnée doit pouvoir être identifiée ; le RNA est son identifiant au
répertoire national des associations (les associations d'Alsace-Moselle n'en ont pas : elles
ont un SIRET).

## Comment corriger
Recopiez le RNA depuis le récépissé de déclaration ou le Journal officiel des associations,
ou renseignez le SIRET.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for p in &ctx.rows.partners {
        let record = p.origin;
        match p.rna.text() {
            Some(rna) if !is_rna(rna) => ctx.push(out, &RULE, record, || {
                Diagnostic::new(&RULE, format!("numéro RNA invalide « {} »", bound(rna)))
                    .at_cell(&ctx.sheet, p.origin, p.rna.col, partner::RNA.name())
                    .record(record)
                    .value(rna)
                    .expected("W suivi de 9 chiffres, par ex. W595012345")
            }),
            None if p.kind.value() == Some(PartnerType::Association) && p.siret.is_empty() => {
                let name = p.nom.text().unwrap_or("association");
                ctx.push(out, &RULE, record, || {
                    Diagnostic::new(
                        &RULE,
                        format!("association « {} » sans RNA ni SIRET", bound(name)),
                    )
                    .at_cell(&ctx.sheet, p.origin, p.rna.col, partner::RNA.name())
                    .record(record)
                    .expected("un numéro RNA (W + 9 chiffres) ou un SIRET")
                })
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::{Field, Parsed};

    #[test]
    fn fires_on_bad_rna_and_on_missing_identifiers() {
        let mut p = partner("P-1");
        p.rna = text(4, "595012345");
        assert_eq!(run_on_partner(&RULE, p).len(), 1);
        let mut p = partner("P-1");
        p.rna = Field::new(Some(4), Parsed::Empty);
        let d = run_on_partner(&RULE, p);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("sans RNA ni SIRET"));
    }

    #[test]
    fn silent_on_valid_rna_or_siret_or_non_association() {
        assert!(run_on_partner(&RULE, partner("P-1")).is_empty());
        let mut p = partner("P-1");
        p.rna = Field::new(Some(4), Parsed::Empty);
        p.siret = text(3, "73282932000074");
        assert!(run_on_partner(&RULE, p).is_empty());
        let mut p = partner("P-1");
        p.rna = Field::new(Some(4), Parsed::Empty);
        p.kind = ok(2, PartnerType::Collectivite);
        assert!(run_on_partner(&RULE, p).is_empty());
    }
}
