use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::{convention, indicator};

pub static RULE: Rule = Rule {
    code: "V004",
    name: "negative_amount",
    severity: Severity::Erreur,
    summary: "montant négatif",
    explanation: "\
## Ce que vérifie la règle
Le montant total, les parts (Région, Europe, autres) et la valeur d'un indicateur ne peuvent
pas être négatifs.

## Pourquoi c'est important
Un montant négatif est presque toujours une faute de frappe ou un avoir saisi au mauvais
endroit ; il diminuerait les totaux du rapport.

## Comment corriger
Saisissez le montant en positif. Une réduction de subvention se traite par un avenant qui
modifie le montant total.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for c in &ctx.rows.conventions {
        for (field, column) in [
            (&c.montant_total, convention::MONTANT_TOTAL.name()),
            (&c.part_region, convention::PART_REGION.name()),
            (&c.part_europe, convention::PART_EUROPE.name()),
            (&c.part_autres, convention::PART_AUTRES.name()),
        ] {
            if let Some(v) = field.value()
                && v.is_sign_negative()
                && !v.is_zero()
            {
                ctx.push(out, &RULE, c.origin, || {
                    Diagnostic::new(&RULE, format!("montant négatif dans la colonne {column}"))
                        .at_cell(&ctx.sheet, c.origin, field.col, column)
                        .record(c.origin)
                        .value(v.to_string())
                        .expected("un montant positif ou nul")
                });
            }
        }
    }
    for v in &ctx.rows.indicators {
        if let Some(x) = v.valeur.value()
            && x.is_sign_negative()
            && !x.is_zero()
        {
            ctx.push(out, &RULE, v.origin, || {
                Diagnostic::new(&RULE, "valeur d'indicateur négative")
                    .at_cell(&ctx.sheet, v.origin, v.valeur.col, indicator::VALEUR.name())
                    .record(v.origin)
                    .value(x.to_string())
                    .expected("une valeur positive ou nulle")
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_a_negative_part_and_value() {
        let mut c = convention("C-1");
        c.part_region = ok(12, money("-500"));
        let d = run_rule(
            &RULE,
            dataset(
                vec![c],
                vec![partner("P-1")],
                vec![indicator("OS1-I2", 2019, "-3")],
            ),
            2019,
        );
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].cell.as_deref(), Some("M2"));
        assert_eq!(d[1].sheet.as_deref(), Some("Indicateurs"));
    }

    #[test]
    fn silent_on_zero_and_positive() {
        let mut c = convention("C-1");
        c.montant_total = ok(11, money("0"));
        c.part_region = ok(12, money("0"));
        assert!(run_on_convention(&RULE, c).is_empty());
    }
}
