use crate::checks::fields::{AnyField, convention_fields, indicator_fields, partner_fields};
use crate::checks::{Context, Diagnostic, Pass, Rule, Severity};
use crate::model::{DataSet, Origin, RecordRef};

pub static RULE: Rule = Rule {
    code: "V001",
    name: "required_empty",
    severity: Severity::Erreur,
    summary: "cellule obligatoire vide",
    explanation: "\
## Ce que vérifie la règle
Les cellules obligatoires doivent être remplies : pour une convention id, intitule, echelle,
partenaires, objectifs, date_debut, date_fin, montant_total, statut, et le parc pour les
échelles territoriale et locale ; pour un partenaire id, nom, type ; pour un indicateur
indicateur, annee, valeur.

## Pourquoi c'est important
Une ligne incomplète ne peut pas être comptée : elle est écartée des chiffres du rapport et
listée dans les anomalies.

## Comment corriger
Remplissez la cellule indiquée. Si la ligne n'a pas lieu d'être (ligne de total, brouillon),
supprimez-la.",
    check,
    pass: Pass::Row,
};

fn empty(
    ds: &DataSet,
    origin: Origin,
    record: RecordRef,
    column: &str,
    field: &dyn AnyField,
) -> Diagnostic {
    Diagnostic::new(&RULE, format!("cellule obligatoire « {column} » vide"))
        .at_cell(ds, origin, field.col(), column)
        .record(record)
        .expected(format!("une valeur dans la colonne « {column} »"))
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let ds = ctx.ds;
    for (i, c) in ds.convention_rows.iter().enumerate() {
        let record = RecordRef::Convention(i as u32);
        for (name, required, field) in convention_fields(c) {
            // A missing column is reported once for the sheet (S001), not on every row.
            if required && field.col().is_some() && field.is_empty() {
                out.push(empty(ds, c.origin, record, name, field));
            }
        }
        if c.echelle.value().is_some_and(|e| e.needs_parc()) && c.parc.is_empty() {
            let echelle = c.echelle.value().map(|e| e.label()).unwrap_or_default();
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!("parc obligatoire pour une convention {echelle}"),
                )
                .at_cell(ds, c.origin, c.parc.col, "parc")
                .record(record)
                .expected("le code du parc (SCE, AVE, CMO, OPF, BSPM) ou son nom"),
            );
        }
    }
    for (i, p) in ds.partner_rows.iter().enumerate() {
        for (name, required, field) in partner_fields(p) {
            if required && field.col().is_some() && field.is_empty() {
                out.push(empty(
                    ds,
                    p.origin,
                    RecordRef::Partner(i as u32),
                    name,
                    field,
                ));
            }
        }
    }
    for (i, v) in ds.indicators.iter().enumerate() {
        for (name, required, field) in indicator_fields(v) {
            if required && field.col().is_some() && field.is_empty() {
                out.push(empty(
                    ds,
                    v.origin,
                    RecordRef::Indicator(i as u32),
                    name,
                    field,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::{Field, Parsed};

    #[test]
    fn fires_on_an_empty_required_cell() {
        let mut c = convention("C-1");
        c.montant_total = Field::new(Some(11), Parsed::Empty);
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "cellule obligatoire « montant_total » vide");
        assert_eq!(d[0].cell.as_deref(), Some("L2"));
        assert_eq!(d[0].record, Some(RecordRef::Convention(0)));
    }

    #[test]
    fn fires_on_a_local_convention_without_parc() {
        let mut c = convention("C-1");
        c.parc = Field::new(Some(3), Parsed::Empty);
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("parc obligatoire"));
    }

    #[test]
    fn silent_when_filled_or_optional() {
        let mut c = convention("C-1");
        c.thematique = Field::new(Some(6), Parsed::Empty);
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
