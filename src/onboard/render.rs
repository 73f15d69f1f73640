//! The files `gosales init` writes, from the plan.

use super::*;

fn aliases_yaml(plan: &Plan) -> String {
    let d = Aliases::default();
    let mut out = String::new();
    let entry = |name: &str, found: Vec<Option<&String>>, defaults: &[String]| {
        let mut v: Vec<String> = Vec::new();
        for s in found.into_iter().flatten().chain(defaults) {
            if !v.contains(s) {
                v.push(s.clone());
            }
        }
        format!("  {name}: {}\n", list(&v))
    };
    let cols = |f: fn(&profile::Columns) -> Option<&String>| -> Vec<Option<&String>> {
        std::iter::once(f(&plan.log.columns))
            .chain(plan.holdout.iter().map(|h| f(&h.columns)))
            .collect()
    };
    out += &entry(
        "customer_id",
        cols(|c| Some(&c.customer_id)),
        &d.customer_id,
    );
    out += &entry("order_date", cols(|c| Some(&c.order_date)), &d.order_date);
    out += &entry("division", cols(|c| c.division.as_ref()), &d.division);
    out += &entry(
        "customer_name",
        cols(|c| c.customer_name.as_ref()),
        &d.customer_name,
    );
    out += &entry("invoice_id", cols(|c| c.invoice_id.as_ref()), &d.invoice_id);
    out += &entry("line_id", cols(|c| c.line_id.as_ref()), &d.line_id);
    if plan.log.shape == profile::Shape::Long {
        out += &entry("product", cols(|c| c.product.as_ref()), &d.product);
        out += &entry(
            "gross_profit",
            cols(|c| c.gross_profit.as_ref()),
            &d.gross_profit,
        );
        out += &entry("quantity", cols(|c| c.quantity.as_ref()), &d.quantity);
        if plan.log.columns.cost.is_some() {
            out += &entry("cost", cols(|c| c.cost.as_ref()), &d.cost);
        }
        if plan.log.columns.discount.is_some() {
            out += &entry("discount", cols(|c| c.discount.as_ref()), &d.discount);
        }
        if plan.log.columns.discount_amount.is_some() {
            out += &entry(
                "discount_amount",
                cols(|c| c.discount_amount.as_ref()),
                &d.discount_amount,
            );
        }
        if plan.log.columns.refunded_quantity.is_some() {
            out += &entry(
                "refunded_quantity",
                cols(|c| c.refunded_quantity.as_ref()),
                &d.refunded_quantity,
            );
        }
        if plan.log.columns.parent_line.is_some() {
            out += &entry(
                "parent_line",
                cols(|c| c.parent_line.as_ref()),
                &d.parent_line,
            );
        }
    }
    out
}

/// `{column: "Document Type", values: ["Credit Memo"]}`, or `null`.
fn marked_yaml(m: Option<&crate::stages::etl::marked::MarkedRows>) -> String {
    m.map_or("null".to_string(), |m| {
        format!("{{column: {}, values: {}}}", q(&m.column), list(&m.values))
    })
}

pub(super) fn render(
    req: &Request,
    plan: &Plan,
    sku_csv: Vec<u8>,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let c = &plan.choice;
    let log_name = plan
        .log
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut inputs = vec![format!(
        "sales_log: {}",
        q(&manifest_path(&req.dir, &req.sales_log)?)
    )];
    if let Some(h) = &req.holdout {
        inputs.push(format!("holdout: {}", q(&manifest_path(&req.dir, h)?)));
    }
    if let Some(e) = &req.enrichment {
        inputs.push(format!("enrichment: {}", q(&manifest_path(&req.dir, e)?)));
    }
    let cutoffs: Vec<String> = c.windows.iter().map(|w| w.cutoff.to_string()).collect();
    let has_holdout = req.holdout.is_some();
    let mut pipeline = format!(
        r#"# Written by `gosales init` for {log}. `gosales dag` draws this graph; README.md,
# "The manifest", documents every key. Paths are relative to this file.
version: 1

vars:
  # One partition per division of the SKU map: adding a division is a one-line CSV edit.
  divisions: {{from_csv: stages/sku_map.csv, column: division}}
  # Training cutoffs (month-ends): {rule}.
  cutoffs: {cutoffs}
  # Features at this cutoff are scored. `latest` is the last date of the sales log
  # ({latest} when init ran); a date (YYYY-MM-DD) scores as of another day.
  score_cutoff: latest

nodes:
  sales_log:
    desc: your sales log{and_more}
    stage: source
    params: stages/source.yaml
    inputs: {{{inputs}}}

  star:
    desc: phase 0, the star schema (fact_transactions, dim_customer) with contracts and QA
    stage: etl
    needs: [sales_log]
    inputs: {{sku_map: stages/sku_map.csv}}
    params: stages/etl.yaml
    outputs: {{star: outputs/star, qa: outputs/qa, staging: outputs/staging}}
"#,
        log = q(&log_name),
        rule = c.rule,
        cutoffs = list(&cutoffs),
        latest = c.score_cutoff,
        and_more = match (has_holdout, req.enrichment.is_some()) {
            (true, true) => ", holdout and industry enrichment",
            (true, false) => " and holdout",
            (false, true) => " and industry enrichment",
            (false, false) => "",
        },
        inputs = inputs.join(", "),
    );
    if has_holdout {
        // A holdout whose dates read the other way round than the log's is read its own way.
        let own_order = plan
            .holdout
            .as_ref()
            .and_then(|h| super::holdout_date_order(&plan.log, h));
        let (why, mut order) = match own_order {
            Some(o) => (
                "; its dates are written the other way round",
                format!(", date_order: {}", o.key()),
            ),
            None => ("", String::new()),
        };
        // Its own stray-date bounds: the log's would cut it at the log's end.
        if let Some((lo, hi)) = plan.holdout_bounds {
            let b =
                |d: Option<chrono::NaiveDate>| d.map_or("null".to_string(), |d| format!("\"{d}\""));
            order += &format!(", date_min: {}, date_max: {}", b(lo), b(hi));
        }
        pipeline += &format!(
            r#"
  holdout_star:
    desc: the holdout log through the same ETL, for validation labels
    stage: etl
    needs: [sales_log]
    inputs: {{sku_map: stages/sku_map.csv}}
    # The training ETL's settings; only the file to load differs{why}.
    params: {{extends: stages/etl.yaml, log: holdout{order}}}
    outputs: {{star: outputs/holdout/star, qa: outputs/holdout/qa, staging: outputs/holdout/staging}}
"#
        );
    }
    pipeline += r#"
  labels:
    desc: phase 1, who bought in the division in the window after each cutoff
    stage: labels
    needs: [star]
    foreach: {division: $divisions, cutoff: $cutoffs}
    inputs: {sku_map: stages/sku_map.csv, denylist: stages/label_denylist_skus.csv}
    params: stages/labels.yaml

  features:
    desc: phase 2, customer features as of each cutoff
    stage: features
    needs: [star]
    foreach: {division: $divisions, cutoff: $cutoffs}
    inputs: {sku_map: stages/sku_map.csv}
    params: stages/features.yaml

  train:
    desc: phase 3, one model per division across the cutoffs, validated and calibrated out of time
    stage: train
    needs: ["features@{division}", "labels@{division}"]
    foreach: {division: $divisions}
    params: stages/models.yaml

  features_score:
    desc: features at the scoring cutoff, winsorised at the caps the division's model was trained with
    stage: features
    needs: [star, "train@{division}"]
    foreach: {division: $divisions, cutoff: $score_cutoff}
    inputs: {sku_map: stages/sku_map.csv}
    params: stages/features.yaml
"#;
    if has_holdout {
        pipeline += r#"
  validate:
    desc: holdout validation of each division's model, with the label definition it was trained on
    stage: validate
    needs: ["train@{division}", "features_score@{division}", holdout_star]
    foreach: {division: $divisions}
    params: stages/validate.yaml
"#;
    }
    pipeline += r#"
  score:
    desc: ICP scores per customer and division at the scoring cutoff
    stage: score
    needs: [train, features_score, star]
    params: stages/score.yaml
    outputs: {dir: outputs/scores}

  whitespace:
    desc: ranked cross-sell opportunities, the pipeline's end product
    stage: whitespace
    # `train`: each model's label definition says what a purchase is (ownership, expected value).
    needs: [score, features_score, star, train]
    params: stages/whitespace.yaml
    outputs: {csv: outputs/whitespace.csv, summary: outputs/whitespace_summary.json}
"#;
    if has_holdout {
        pipeline += r#"
  whitespace_holdout:
    desc: the whitespace list judged on the holdout, non-owners only, beside the same rows by p_icp alone
    stage: whitespace_holdout
    needs: [whitespace, holdout_star, train]
    params: stages/whitespace_holdout.yaml
    outputs: {report: outputs/whitespace_holdout.json}
"#;
    }
    let source = "# Your files, named in pipeline.yaml (node `sales_log`, `inputs`). They are copied into\n\
                  # outputs/sales_log under their own names; an edit to one reruns what depends on it.\n\
                  kind: csv\n";
    let etl = format!(
        "# Phase 0 (ETL) params, written by `gosales init` for {log}.\n\
         # Headers accepted for each canonical column, first match wins (yours first).\n\
         aliases:\n{aliases}\
         # Rows dated outside [date_min, date_max] are dropped and reported (null: no bound).\n\
         # Set bounds to catch mistyped years. init sets one only to drop stray dates far outside\n\
         # the log (its notes name them): widen it when the log grows.\n\
         date_min: {date_min}\n\
         date_max: {date_max}\n\
         # Numeric dates: `mdy` (6/30/2024) or `dmy` (30/06/2024); init read {order}.\n\
         date_order: {order_key}\n\
         # The log's layout: wide (a GP and a Qty column per product) or long (one row per line).\n\
         shape: {shape}\n\
         # Above this share of unparseable dates the build is blocked.\n\
         max_bad_date_share: 0.05\n\
         # Above this share of rows that do not split into the header's columns, likewise.\n\
         max_ragged_row_share: 0.05\n\
         # Above this share of rows with a blank customer id the build is blocked.\n\
         max_blank_id_share: 0.25\n\
         # Fuzzy industry match: minimum normalised Levenshtein similarity (null turns it off).\n\
         fuzzy_threshold: 0.9\n\
         # Fields longer than this are read as empty and reported.\n\
         max_field_bytes: 1048576\n\
         # A line repeating an earlier one byte for byte: drop (an export duplicate, counted)\n\
         # or keep (invoices that list one item on several identical lines, no line-id column).\n\
         exact_duplicates: {duplicates}\n\
         # Customer ids of digits: keep their leading zeros (`00123` and `123` are two customers)\n\
         # or strip them (one customer, `123`); init {zeros_why}.\n\
         customer_id_leading_zeros: {zeros}\n\
         # Customer ids as written (exact), or names compared by their words, case and\n\
         # punctuation aside (words: `Acme Corp.` is `acme corp`); init {words_why}.\n\
         customer_id_spelling: {spelling}\n\
         # A prefix ids were once written with (`C-` of `C-0001`, later `0001`): an id of it and\n\
         # digits is read without it; init {prefix_why}.\n\
         customer_id_prefix: {prefix}\n\
         # The business sells no weekends: a log whose last sale is the Friday before a weekend\n\
         # month-end runs through that month-end (init {weekends_why}).\n\
         closed_on_weekends: {weekends}\n\
         # The day the log runs through, past its last sale: init {through_why}.\n\
         data_through: {through}\n\
         # Each row's date stands for its month (a monthly summary dated on the 1st): read as the\n\
         # month's last day (init {months_why}).\n\
         dates_are_months: {months}\n\
         # Credit memos written with positive amounts: a document-type column and its credit\n\
         # values, whose rows' GP and quantity are read as negative (init {credits_why}).\n\
         credit_documents: {credits}\n\
         # A line of negative quantity is a return whose GP is read as negative, however it is\n\
         # written (init {returns_why}).\n\
         returns_by_quantity: {returns}\n\
         # Sales written as negative amounts (a journal crediting its income accounts): every\n\
         # line's value is read with its sign turned (init {negative_why}).\n\
         values_negative: {negative}\n\
         # Money written in cents (Stripe's `amount`): every line's value and cost is read\n\
         # divided by 100 (init {cents_why}).\n\
         amounts_in_cents: {cents}\n\
         {cost_currency}\
         # Files of the log's or holdout's folder that hold returns or credits written positive:\n\
         # their rows' GP and quantity are read as negative (init {parts_why}).\n\
         credit_parts: {parts}\n\
         # Orders that are no sale: a status column and its values whose rows are dropped,\n\
         # counted (init {statuses_why}).\n\
         excluded_statuses: {statuses}\n\
         # Documents that are no sale (quotes, pro formas, orders beside their invoices): a\n\
         # document-type column and its values whose rows are dropped, counted (init {documents_why}).\n\
         excluded_documents: {documents}\n\
         # A long log's cost column (aliases.cost) writes costs positive (GP = revenue - cost)\n\
         # or negative (GP = revenue + cost); init {cost_why}.\n\
         cost_sign: {cost_sign}\n\
         # A long log's cost column is a cost per unit: a line's cost is it times the line's\n\
         # quantity (init {cost_unit_why}).\n\
         cost_per_unit: {cost_unit}\n\
         # A long log's gross_profit column is a price per unit: a line's value is it times the\n\
         # line's quantity (init {per_unit_why}).\n\
         value_per_unit: {per_unit}\n\
         # A long log's discount column (aliases.discount) writes a fraction (0.2 for 20%), not a\n\
         # percentage (init {fraction_why}).\n\
         discount_fraction: {fraction}\n\
         # Publish curated tables despite blocking violations.\n\
         fail_soft: false\n",
        log = q(&log_name),
        aliases = aliases_yaml(plan),
        order = date_order_rule(&plan.log),
        shape = match plan.log.shape {
            profile::Shape::Long => "long",
            _ => "wide",
        },
        order_key = plan.log.date_order.key(),
        zeros = if plan.strip_id_zeros { "strip" } else { "keep" },
        spelling = if plan.id_words { "words" } else { "exact" },
        prefix = plan.id_prefix.as_ref().map_or("null".to_string(), |p| q(p)),
        prefix_why = if plan.id_prefix.is_some() {
            "found ids written both with and without it"
        } else {
            "found no ids written with and without a prefix"
        },
        words_why = if plan.id_words {
            "found names written several ways"
        } else {
            "found no names written several ways"
        },
        statuses = marked_yaml(plan.excluded_statuses.as_ref()),
        documents = marked_yaml(plan.excluded_documents.as_ref()),
        documents_why = if plan.excluded_documents.is_some() {
            "found quotes, pro formas or orders beside invoices"
        } else {
            "found no document type of that kind"
        },
        statuses_why = if plan.excluded_statuses.is_some() {
            "found cancelled or open orders beside posted ones"
        } else {
            "found no status column of that kind"
        },
        cost_sign = if plan.log.cost_negative {
            "negative"
        } else {
            "positive"
        },
        cost_why = match (&plan.log.columns.cost, plan.log.cost_negative) {
            (None, _) => "found no cost column",
            (Some(_), true) => "found the costs written negative",
            (Some(_), false) => "found the costs written positive",
        },
        cost_unit = plan.log.cost_per_unit,
        cost_unit_why = match (&plan.log.columns.cost, plan.log.cost_per_unit) {
            (None, _) => "found no cost column",
            (Some(_), true) => "found a cost column named as per unit, and a quantity column",
            (Some(_), false) => "found a cost column named as a line's",
        },
        per_unit = plan.log.value_per_unit,
        fraction = plan.log.discount_fraction,
        fraction_why = match (&plan.log.columns.discount, plan.log.discount_fraction) {
            (None, _) => "found no discount column",
            (Some(_), true) => "found every discount at most 1",
            (Some(_), false) => "found discounts written as percentages",
        },
        per_unit_why = if plan.log.value_per_unit {
            "found no line value, only a unit price beside the quantity"
        } else {
            "found a line value"
        },
        weekends = plan.closed_on_weekends,
        through = plan
            .data_through
            .map_or("null".to_string(), |d| format!("\"{d}\"")),
        through_why = if plan.data_through.is_some() {
            "found the holdout starting the month after it, the log's last days quiet"
        } else {
            "found no such day"
        },
        months = plan.dates_are_months,
        months_why = if plan.dates_are_months {
            "found every row on a month's first day"
        } else {
            "found rows on other days"
        },
        credits = marked_yaml(plan.credit_documents.as_ref()),
        returns = plan.returns_by_quantity,
        negative = plan.log.values_negative,
        cents = plan.log.amounts_in_cents,
        duplicates = if plan.log.duplicates_are_lines { "keep" } else { "drop" },
        cost_currency = if plan.log.cost_in_currency {
            "# Beside them, the cost column is written in the currency: not divided (init found\n\
             # its costs under a fiftieth of their lines' values).\n\
             cost_in_currency: true\n"
        } else {
            ""
        },
        cents_why = if plan.log.amounts_in_cents {
            "found whole amounts beside Stripe's lower-case currency codes, or in a column named for cents"
        } else {
            "found no amounts in cents"
        },
        negative_why = if plan.log.values_negative {
            "found four lines in five or more of the log negative"
        } else {
            "found the log's sales positive"
        },
        parts = super::list(&plan.credit_parts),
        parts_why = if plan.credit_parts.is_empty() {
            "found no such file"
        } else {
            "found files named so, their amounts positive"
        },
        returns_why = if plan.returns_by_quantity {
            "found returns of negative quantity written with a positive GP"
        } else {
            "found no returns of negative quantity written with a positive GP"
        },
        credits_why = if plan.credit_documents.is_some() {
            "found credits written positive"
        } else {
            "found no credits written positive"
        },
        weekends_why = if plan.closed_on_weekends {
            "found no weekend sales"
        } else {
            "found weekend sales, or too few rows to tell"
        },
        zeros_why = if plan.strip_id_zeros {
            "found ids written both ways"
        } else {
            "found no id written both ways"
        },
        date_min = plan
            .date_min
            .map_or("null".to_string(), |d| format!("\"{d}\"")),
        date_max = plan
            .date_max
            .map_or("null".to_string(), |d| format!("\"{d}\"")),
    );
    let labels = format!(
        "# Phase 1: labels. One definition for training, validation and holdout (validation reads it\n\
         # from the trained model): positive when the customer's lines in the division (denylisted\n\
         # SKUs removed) in (cutoff, cutoff + window_months] make a purchase (`purchase` below).\n\
         # window_months: {rule}.\n\
         window_months: {w}\n\
         # expansion: customers with a line on or before the cutoff; all: every customer.\n\
         mode: expansion\n\
         gp_min_threshold: 0.0\n\
         # gp: a purchase is a net GP above gp_min_threshold; quantity: net units above 0, whatever\n\
         # the margin (init {purchase_why}).\n\
         purchase: {purchase}\n",
        purchase = if plan.log.sales_at_a_loss.is_some() { "quantity" } else { "gp" },
        purchase_why = match plan.log.sales_at_a_loss {
            Some((loss, all)) => format!("found {loss} of {all} sampled sales lines at a loss"),
            None => "found few sales at a loss".to_string(),
        },
        rule = c.rule,
        w = c.window_months,
    );
    let features = format!(
        "# Phase 2: time-cutoff features. Every window ends at the cutoff (no calendar years).\n\
         population: expansion          # must match labels.yaml `mode`\n\
         windows_months: [3, 6, 12, 24]\n\
         recency_half_lives_days: [30, 90, 180]\n\
         eb_prior_strength: 5.0         # prior, in lines, of the smoothed division shares\n\
         winsor_upper_quantile: 0.99    # gross-profit columns are capped here; caps go to feature_stats.json\n\
         # Per-SKU features for these (init: the {n} products with the most rows).\n\
         key_skus: {skus}\n\
         industries_top_n: 10\n\
         sub_industries_top_n: 15\n\
         interactions: true\n\
         anniversary_window_months: {w}   # = labels.yaml window_months\n\
         market_basket: {{enabled: true, lag_days: 0, min_support: 10}}\n\
         als: {{enabled: true, factors: 8, iterations: 10, regularization: 0.1, alpha: 10.0,\n      lookback_months: 24, seed: 42}}\n",
        n = plan.key_skus.len(),
        skus = list(&plan.key_skus),
        w = c.window_months,
    );
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("pipeline.yaml".into(), pipeline.into_bytes()),
        ("stages/source.yaml".into(), source.as_bytes().to_vec()),
        ("stages/etl.yaml".into(), etl.into_bytes()),
        ("stages/labels.yaml".into(), labels.into_bytes()),
        ("stages/features.yaml".into(), features.into_bytes()),
        (
            "stages/models.yaml".into(),
            include_bytes!("../../stages/models.yaml").to_vec(),
        ),
        (
            "stages/score.yaml".into(),
            include_bytes!("../../stages/score.yaml").to_vec(),
        ),
        (
            "stages/whitespace.yaml".into(),
            include_bytes!("../../stages/whitespace.yaml").to_vec(),
        ),
        ("stages/sku_map.csv".into(), sku_csv),
        (
            "stages/label_denylist_skus.csv".into(),
            b"sku,reason\n".to_vec(),
        ),
    ];
    if has_holdout {
        files.push((
            "stages/validate.yaml".into(),
            include_bytes!("../../stages/validate.yaml").to_vec(),
        ));
        files.push((
            "stages/whitespace_holdout.yaml".into(),
            include_bytes!("../../stages/whitespace_holdout.yaml").to_vec(),
        ));
    }
    Ok(files)
}
