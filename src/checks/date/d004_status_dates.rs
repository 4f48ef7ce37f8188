use crate::checks::{Check, Diagnostic, RowContext, Rule, Severity};
use crate::model::Statut;
use crate::model::schema::convention;
use crate::text::french::format_date;

pub static RULE: Rule = Rule {
    code: "D004",
    name: "status_dates",
    severity: Severity::Avertissement,
    summary: "statut incohérent avec les dates (soldée avant sa fin, en cours après elle)",
    explanation: "\
## Ce que vérifie la règle
Le statut est comparé aux dates à la date d'aujourd'hui, ou à la fin de la période du
référentiel si elle est passée (31/12/2021 pour la convention 2018/2021) : une convention
« soldée » dont la date de fin n'est pas encore arrivée, ou « en cours » alors que sa date de
fin est passée, est signalée.

## Pourquoi c'est important
Le statut dit où en est la convention ; un statut oublié depuis la fin de la convention laisse
croire à un engagement encore ouvert, et fausse le suivi des soldes.

## Comment corriger
Mettez le statut à jour (soldée quand le solde est versé) ou corrigez la date de fin
(résiliation anticipée : statut résiliée).",
    check: Check::Row(check),
};

fn check(ctx: &RowContext, out: &mut Vec<Diagnostic>) {
    let today = chrono::Local::now().date_naive();
    let reference = today.min(ctx.referential.end);
    for c in &ctx.rows.conventions {
        let (Some(statut), Some(end)) = (c.statut.value(), c.date_fin.value()) else {
            continue;
        };
        let message = match statut {
            Statut::Soldee if end > reference => format!(
                "convention soldée alors qu'elle court jusqu'au {}",
                format_date(end)
            ),
            Statut::EnCours if end < reference => format!(
                "convention en cours alors qu'elle a pris fin le {}",
                format_date(end)
            ),
            _ => continue,
        };
        ctx.push(out, &RULE, c.origin, || {
            Diagnostic::new(&RULE, message)
                .at_cell(
                    &ctx.sheet,
                    c.origin,
                    c.statut.col,
                    convention::STATUT.name(),
                )
                .record(c.origin)
                .value(statut.label())
                .expected(format!("un statut juste au {}", format_date(reference)))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;

    #[test]
    fn fires_on_en_cours_after_the_end() {
        // The test convention ends 31/12/2019, well before the period's end.
        let d = run_on_convention(&RULE, convention("C-1"));
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message
                .contains("en cours alors qu'elle a pris fin le 31/12/2019")
        );
    }

    #[test]
    fn fires_on_soldee_before_the_end_and_is_silent_when_consistent() {
        let mut c = convention("C-1");
        c.statut = ok(15, Statut::Soldee);
        assert!(run_on_convention(&RULE, c.clone()).is_empty());
        c.date_fin = ok(10, date("2021-12-31"));
        c.date_debut = ok(9, date("2021-01-01"));
        // Today is after the period: the reference is 31/12/2021, which is the end itself.
        assert!(run_on_convention(&RULE, c.clone()).is_empty());
        c.date_fin = ok(10, date("2030-12-31"));
        assert_eq!(run_on_convention(&RULE, c).len(), 1);
    }
}
