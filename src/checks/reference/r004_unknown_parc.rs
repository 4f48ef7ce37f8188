use crate::checks::{Context, Diagnostic, Pass, Rule, Severity};
use crate::model::{Field, Origin, RecordRef};
use crate::text::nearest_hint;

pub static RULE: Rule = Rule {
    code: "R004",
    name: "unknown_parc",
    severity: Severity::Erreur,
    summary: "parc inconnu",
    explanation: "\
## Ce que vérifie la règle
La colonne parc doit désigner un Parc naturel régional du référentiel, par son code (SCE, AVE,
CMO, OPF, BSPM) ou par son nom (Avesnois, PNR Scarpe-Escaut…), majuscules et accents
indifférents.

## Pourquoi c'est important
Les conventions et les indicateurs sont ventilés par Parc dans le rapport.

## Comment corriger
Utilisez le code du Parc proposé dans l'aide.",
    check,
    pass: Pass::Row,
};

fn report(
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
    origin: Origin,
    record: RecordRef,
    parc: &Field<String>,
) {
    let Some(written) = parc.text() else { return };
    let r = ctx.referential;
    if r.find_parc(written).is_some() {
        return;
    }
    let names = r
        .parcs
        .iter()
        .flat_map(|p| [p.code.as_str(), p.name.as_str()]);
    out.push(
        Diagnostic::new(&RULE, format!("parc inconnu « {written} »"))
            .at_cell(ctx.ds, origin, parc.col, "parc")
            .record(record)
            .value(written)
            .expected(
                r.parcs
                    .iter()
                    .map(|p| p.code.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            )
            .hint(nearest_hint(written, names, "parcs proches")),
    );
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for (i, c) in ctx.ds.convention_rows.iter().enumerate() {
        report(ctx, out, c.origin, RecordRef::Convention(i as u32), &c.parc);
    }
    for (i, v) in ctx.ds.indicators.iter().enumerate() {
        report(ctx, out, v.origin, RecordRef::Indicator(i as u32), &v.parc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_an_unknown_parc() {
        let mut c = convention("C-1");
        c.parc = text(3, "Avesnoi");
        let d = run_on_convention(&RULE, c);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].hint.as_deref(), Some("parcs proches : Avesnois"));
    }

    #[test]
    fn silent_on_codes_and_names() {
        for p in [
            "AVE",
            "avesnois",
            "PNR de l'Avesnois",
            "Caps et Marais d'Opale",
        ] {
            let mut c = convention("C-1");
            c.parc = text(3, p);
            assert!(run_on_convention(&RULE, c).is_empty(), "{p}");
        }
    }
}
