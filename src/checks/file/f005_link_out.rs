use crate::checks::{Check, Context, Diagnostic, Rule, Severity};
use crate::model::LinkProblem;

pub static RULE: Rule = Rule {
    code: "F005",
    name: "link_out",
    severity: Severity::Info,
    summary: "lien symbolique vers l'extérieur du dossier d'entrée, ou en boucle : non lu",
    explanation: "\
## Ce que vérifie la règle
En parcourant un dossier, enrx suit les liens symboliques qui restent dans ce dossier (un
fichier atteint par deux chemins n'est lu qu'une fois). Un lien dont la cible est hors du
dossier, ou qui tourne en boucle, n'est pas suivi : il est signalé par son propre chemin,
et rien de ce vers quoi il pointe n'est ouvert ni cité. Un fichier nommé un par un sur la
ligne de commande est lu tel quel, même si c'est un lien : c'est l'utilisateur qui l'a choisi.

## Pourquoi c'est important
Le dossier de dépôt peut être partagé (SFTP, partage réseau) et lu la nuit par un compte
privilégié. Sans cette règle, quiconque peut y déposer un fichier pourrait y placer un lien
vers un fichier qu'il n'a pas le droit de lire, et en retrouver le contenu dans les anomalies
ou dans anomalies.csv, qui part à la Région avec le rapport.

## Comment corriger
Déposez le fichier lui-même dans le dossier d'entrée plutôt qu'un lien, ou faites pointer le
lien vers un fichier du dossier. Si les liens vers l'extérieur sont voulus (un dossier
d'entrée fait de liens vers les classeurs d'origine, par exemple) et que personne d'autre ne
peut écrire dans le dossier, relancez avec --suivre-liens.",
    check: Check::Set(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for link in &ctx.ds.skipped_links {
        let message = match link.problem {
            LinkProblem::LeadsOut => {
                "lien symbolique vers l'extérieur du dossier d'entrée : ignoré"
            }
            LinkProblem::Loop => "lien symbolique en boucle (il ne mène à aucun fichier) : ignoré",
        };
        out.push(
            Diagnostic::new(&RULE, message)
                .at_path(&link.display)
                .hint(Some(
                    "déposez le fichier lui-même dans le dossier (ou, si personne d'autre ne peut \
                     y écrire, relancez avec --suivre-liens)"
                        .into(),
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::model::SkippedLink;

    #[test]
    fn fires_on_a_link_out_of_the_folder_and_on_a_loop() {
        let mut ds = dataset(vec![], vec![], vec![]);
        ds.skipped_links = vec![
            SkippedLink {
                display: "input/conventions-pnr.csv".into(),
                problem: LinkProblem::LeadsOut,
            },
            SkippedLink {
                display: "input/boucle.csv".into(),
                problem: LinkProblem::Loop,
            },
        ];
        let d = run_rule(&RULE, ds, 2019);
        assert_eq!(d.len(), 2);
        assert_eq!(
            d[0].message,
            "lien symbolique vers l'extérieur du dossier d'entrée : ignoré"
        );
        assert_eq!(d[0].file.as_deref(), Some("input/conventions-pnr.csv"));
        assert_eq!(d[0].value, None, "never what the link leads to");
        assert!(d[1].message.contains("en boucle"));
        assert_eq!(d[1].file.as_deref(), Some("input/boucle.csv"));
    }

    #[test]
    fn silent_without_links_left_out() {
        assert!(run_rule(&RULE, dataset(vec![], vec![], vec![]), 2019).is_empty());
    }
}
