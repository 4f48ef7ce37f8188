use rust_decimal::Decimal;

use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::schema::{self, ColumnKind, convention, indicator};
use crate::model::{DataSet, Origin, SheetInfo, SheetKind};
use crate::text::french::{format_euros, format_quantity, round};

pub static RULE: Rule = Rule {
    code: "S007",
    name: "total_mismatch",
    severity: Severity::Avertissement,
    summary: "le montant d'une ligne de total diffère de la somme des lignes qu'elle totalise",
    explanation: "\
## Ce que vérifie la règle
Le montant d'une ligne de total (S006), dans chaque colonne de montant (montant total et parts,
ou la valeur d'un indicateur), doit égaler la somme des lignes de données au-dessus d'elle,
jusqu'à l'en-tête ou jusqu'à la ligne de total précédente ; un « Total général » peut aussi
totaliser les sous-totaux qui le précèdent. Les lignes en erreur sont comptées, comme une
formule SOMME les compte.

## Pourquoi c'est important
C'est le signe classique d'une ligne ajoutée sous la plage d'une formule =SOMME(L4:L33) : le
total affiché dans le fichier n'est plus celui des données, et les chiffres envoyés à ENRx ne
correspondent pas à ceux que le Parc a sous les yeux.

## Comment corriger
Étendez la formule à toutes les lignes (par ex. =SOMME(L4:L34)), ou vérifiez la ligne qui
n'est pas comptée ou le montant tapé à la main.",
    check: Check::Set(check),
};

/// A data row's number in the column named `column`.
type Amount = fn(&DataSet, usize, &str) -> Decimal;

fn convention_amount(ds: &DataSet, i: usize, column: &str) -> Decimal {
    let c = &ds.conventions[i];
    if column == convention::MONTANT_TOTAL.name() {
        c.montant_total
    } else if column == convention::PART_REGION.name() {
        c.part_region
    } else if column == convention::PART_EUROPE.name() {
        c.part_europe
    } else if column == convention::PART_AUTRES.name() {
        c.part_autres
    } else {
        Decimal::ZERO
    }
}

fn indicator_amount(ds: &DataSet, i: usize, column: &str) -> Decimal {
    let v = &ds.indicators[i];
    if column == indicator::VALEUR.name() {
        v.valeur.value().unwrap_or_default()
    } else {
        Decimal::ZERO
    }
}

/// The sheet's data rows as (indices in the data set's records, row numbers), and how to read
/// their numbers; records are sorted by origin, so a sheet's rows are one run.
fn rows_of(ds: &DataSet, sheet: &SheetInfo) -> Option<(Vec<(usize, u32)>, Amount)> {
    fn run<T>(records: &[T], origin: fn(&T) -> Origin, sheet: &SheetInfo) -> Vec<(usize, u32)> {
        let start = records.partition_point(|r| origin(r).sheet < sheet.id);
        let end = records.partition_point(|r| origin(r).sheet <= sheet.id);
        (start..end).map(|i| (i, origin(&records[i]).row)).collect()
    }
    match sheet.kind {
        SheetKind::Conventions => {
            Some((run(&ds.conventions, |c| c.origin, sheet), convention_amount))
        }
        SheetKind::Indicateurs => {
            Some((run(&ds.indicators, |v| v.origin, sheet), indicator_amount))
        }
        SheetKind::Partenaires => None,
    }
}

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for sheet in ctx.ds.sheets.iter().filter(|s| !s.totals.is_empty()) {
        check_sheet(ctx, sheet, out);
    }
}

fn check_sheet(ctx: &Context, sheet: &SheetInfo, out: &mut Vec<Diagnostic>) {
    let Some((rows, amount)) = rows_of(ctx.ds, sheet) else {
        return;
    };
    let totals = &sheet.totals;
    // before[t][column]: the sum of the data rows above total t, for each column it has.
    let mut before: Vec<Vec<Decimal>> = Vec::with_capacity(totals.len());
    let mut next = 0;
    let mut running: Vec<(&str, Decimal)> = Vec::new();
    for total in totals {
        for a in &total.amounts {
            if !running.iter().any(|(c, _)| *c == a.column) {
                running.push((a.column, Decimal::ZERO));
            }
        }
    }
    for total in totals {
        while let Some(&(i, row)) = rows.get(next)
            && row < total.row
        {
            for (column, sum) in &mut running {
                *sum += amount(ctx.ds, i, column);
            }
            next += 1;
        }
        before.push(running.iter().map(|(_, s)| *s).collect());
    }
    let header = sheet.header_row.unwrap_or(0);
    for (t, total) in totals.iter().enumerate() {
        // Where its rows start: after the previous total of its level or above (a total
        // général after sous-totaux adds them all up), or after the header.
        let start = totals[..t].iter().rposition(|p| p.level >= total.level);
        for a in &total.amounts {
            let Some(k) = running.iter().position(|(c, _)| *c == a.column) else {
                continue;
            };
            let since = |j: Option<usize>| before[t][k] - j.map_or(Decimal::ZERO, |j| before[j][k]);
            let sum = since(start);
            let candidates = [sum, since(t.checked_sub(1)), since(None)];
            if candidates.iter().any(|s| round(*s, 2) == round(a.value, 2)) {
                continue;
            }
            let money = schema::specs(sheet.kind)
                .iter()
                .any(|s| s.name == a.column && s.kind == ColumnKind::Money);
            let show = |v: Decimal| {
                if money {
                    format_euros(v)
                } else {
                    format_quantity(v)
                }
            };
            let first = start.map_or(header, |j| totals[j].row) + 1;
            let origin = Origin {
                sheet: sheet.id,
                row: total.row,
            };
            out.push(
                Diagnostic::new(
                    &RULE,
                    format!(
                        "le total {} ne correspond pas à la somme des lignes, {} : une ligne est peut-être hors de la formule",
                        show(a.value),
                        show(sum)
                    ),
                )
                .at_cell(ctx.ds, origin, Some(a.col), a.column)
                .value(show(a.value))
                .expected(format!(
                    "{}, la somme des lignes {first} à {}",
                    show(sum),
                    total.row - 1
                ))
                .hint(Some(format!("écart de {}", show(a.value - sum)))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::{TotalAmount, TotalLevel, TotalRow};

    fn total(row: u32, level: TotalLevel, value: &str) -> TotalRow {
        TotalRow {
            row,
            label: "Total".into(),
            label_col: 0,
            level,
            amounts: vec![TotalAmount {
                column: convention::MONTANT_TOTAL.name(),
                col: 11,
                value: money(value),
            }],
        }
    }

    /// Conventions of 10 000 € at rows 2, 3, 4.
    fn three() -> TestData {
        dataset(
            vec![convention("C-1"), convention("C-2"), convention("C-3")],
            vec![],
            vec![],
        )
    }

    #[test]
    fn fires_when_a_row_is_left_out_of_the_sum() {
        let mut ds = three();
        ds.sheets[0].totals = vec![total(5, TotalLevel::Total, "20000")];
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].message,
            "le total 20\u{202f}000,00\u{a0}€ ne correspond pas à la somme des lignes, \
             30\u{202f}000,00\u{a0}€ : une ligne est peut-être hors de la formule"
        );
        assert_eq!(d[0].cell.as_deref(), Some("L5"));
        assert_eq!(
            d[0].hint.as_deref(),
            Some("écart de \u{2212}10\u{202f}000,00\u{a0}€")
        );
        assert_eq!(
            d[0].expected.as_deref(),
            Some("30\u{202f}000,00\u{a0}€, la somme des lignes 2 à 4")
        );
    }

    #[test]
    fn silent_when_totals_and_subtotals_add_up() {
        let mut ds = three();
        ds.sheets[0].totals = vec![
            total(5, TotalLevel::Total, "30000"),
            total(6, TotalLevel::Grand, "30000.001"),
        ];
        assert!(run_rule(&RULE, ds, 2019).is_empty());
        // Sous-totaux: row 2 | rows 3 and 4 (a total row's number only bounds the rows
        // above it), then the grand total of all of them.
        let mut ds = three();
        ds.sheets[0].totals = vec![
            total(3, TotalLevel::Subtotal, "10000"),
            total(5, TotalLevel::Subtotal, "20000"),
            total(6, TotalLevel::Grand, "30000"),
        ];
        assert!(run_rule(&RULE, ds, 2019).is_empty());
    }
}
