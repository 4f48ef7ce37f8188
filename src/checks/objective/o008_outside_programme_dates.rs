use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::schema::convention;
use crate::text::french::format_date;

pub static RULE: Rule = Rule {
    code: "O008",
    name: "outside_programme_dates",
    severity: Severity::Avertissement,
    summary: "dates de la convention hors de celles de son programme",
    explanation: "\
## Ce que vérifie la règle
Une convention rattachée à un programme daté (IMPACT 2016-2020, PARTONS 2016-2021, WECAN
2008-2014…) doit commencer et finir dans les dates du programme.

## Pourquoi c'est important
Les dépenses hors de la période d'un programme européen ne sont pas éligibles à ses fonds ;
c'est aussi souvent un programme mal choisi.

## Comment corriger
Vérifiez le programme et les dates de la convention.",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    for c in &ctx.rows.conventions {
        let Some(pi) = c.links.programme() else {
            continue;
        };
        let p = &ctx.referential.programmes[pi];
        let (Some(start), Some(end)) = (c.date_debut.value(), c.date_fin.value()) else {
            continue;
        };
        let before = p.start.is_some_and(|s| start < s);
        let after = p.end.is_some_and(|e| end > e);
        if before || after {
            let bound = |d: Option<chrono::NaiveDate>| d.map(format_date).unwrap_or("…".into());
            let (col, name) = if before {
                (c.date_debut.col, convention::DATE_DEBUT.name())
            } else {
                (c.date_fin.col, convention::DATE_FIN.name())
            };
            ctx.push(out, &RULE, c.origin, || {
                Diagnostic::new(
                    &RULE,
                    format!(
                        "convention du {} au {} hors des dates du programme {} ({} – {})",
                        format_date(start),
                        format_date(end),
                        p.code,
                        bound(p.start),
                        bound(p.end)
                    ),
                )
                .at_cell(&ctx.sheet, c.origin, col, name)
                .record(c.origin)
                .expected(format!(
                    "des dates entre le {} et le {}",
                    bound(p.start),
                    bound(p.end)
                ))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::Echelle;

    fn european(programme: &str, start: &str, end: &str) -> crate::model::Convention {
        let mut c = convention("C-1");
        c.echelle = ok(2, Echelle::Europeenne);
        c.programme = text(7, programme);
        c.date_debut = ok(9, date(start));
        c.date_fin = ok(10, date(end));
        c
    }

    #[test]
    fn fires_after_the_programme_end() {
        let d = run_on_convention(&RULE, european("IMPACT", "2019-01-01", "2020-06-30"));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].column.as_deref(), Some("date_fin"));
    }

    #[test]
    fn silent_inside_or_without_programme_dates() {
        assert!(
            run_on_convention(&RULE, european("IMPACT", "2019-01-01", "2020-03-31")).is_empty()
        );
        assert!(run_on_convention(&RULE, european("FNPNR", "2018-01-01", "2021-12-31")).is_empty());
    }
}
