//! The wide sales-log schema the generator writes, and how each product behaves.
//!
//! Header names are the original's exactly (spec/upstream_phase0_2.md section 1).

/// Columns before the GP/Qty pairs.
pub const BASE_COLUMNS: &[&str] = &[
    "CustomerId",
    "Rec Date",
    "Division",
    "Customer",
    "InvoiceId",
    "Invoice_Date",
    "Branch",
    "Rep",
];

/// (GP column, Qty column) in the original's order. Two GP columns share `Success_Plan_Qty`.
pub const PRODUCT_COLUMNS: &[(&str, &str)] = &[
    ("SWX_Core", "SWX_Core_Qty"),
    ("SWX_Pro_Prem", "SWX_Pro_Prem_Qty"),
    ("Core_New_UAP", "Core_New_UAP_Qty"),
    ("Pro_Prem_New_UAP", "Pro_Prem_New_UAP_Qty"),
    ("PDM", "PDM_Qty"),
    ("EPDM_CAD_Editor_Seats", "EPDM_CAD_Editor_Seats_Qty"),
    ("Simulation", "Simulation_Qty"),
    ("Services", "Services_Qty"),
    ("Training", "Training_Qty"),
    ("Success_Plan", "Success_Plan_Qty"),
    ("Success Plan GP", "Success_Plan_Qty"),
    ("Consumables", "Consumables_Qty"),
    ("AM_Support", "AM_Support_Qty"),
    (
        "SpareParts_RepairParts_TimeAndMaterials",
        "SpareParts_RepairParts_TimeAndMaterials_Qty",
    ),
    ("SW_Plastics", "SW_Plastics_Qty"),
    ("Post_Processing", "Post_Processing_Qty"),
    ("AM_Software", "AM_Software_Qty"),
    ("_3DP_Software", "_3DP_Software_Qty"),
    ("FormLabs", "FormLabs_Qty"),
    ("FDM", "FDM_Qty"),
    ("SAF", "SAF_Qty"),
    ("SLA", "SLA_Qty"),
    ("P3", "P3_Qty"),
    ("Metals", "Metals_Qty"),
    ("Polyjet", "Polyjet_Qty"),
    ("Fortus", "Fortus_Qty"),
    ("uPrint", "uPrint_Qty"),
    ("_1200_Elite_Fortus250", "_1200_Elite_Fortus250_Qty"),
    ("HV_Simulation", "HV_Simulation_Qty"),
    ("CATIA", "CATIA_Qty"),
    ("Delmia_Apriso", "Delmia_Apriso_Qty"),
    ("DELMIA", "Delmia_Qty"),
    ("Creaform", "Creaform_Qty"),
    ("Artec", "Artec_Qty"),
    ("CAMWorks_Seats", "CAMWorks_Seats_Qty"),
    ("SW_Electrical", "SW_Electrical_Qty"),
    ("SW_Inspection", "SW_Inspection_Qty"),
];

/// Index of the first GP column using this Qty column (where the Qty column sits in the header).
pub fn first_with_qty(qty: &str) -> usize {
    PRODUCT_COLUMNS
        .iter()
        .position(|(_, q)| *q == qty)
        .unwrap_or(usize::MAX)
}

/// Index of a GP column in [`PRODUCT_COLUMNS`].
pub fn sku(name: &str) -> usize {
    PRODUCT_COLUMNS
        .iter()
        .position(|(g, _)| *g == name)
        .unwrap_or_else(|| panic!("unknown SKU {name}"))
}

/// What a customer can buy. Each product line belongs to one purchase "motion".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motion {
    Seats,
    Simulation,
    Pdm,
    CamWorks,
    Training,
    Services,
    SuccessPlan,
    Printer,
    PostProcessing,
    Cpe,
    Scanning,
    Electrical,
}

pub const MOTIONS: &[Motion] = &[
    Motion::Seats,
    Motion::Simulation,
    Motion::Pdm,
    Motion::CamWorks,
    Motion::Training,
    Motion::Services,
    Motion::SuccessPlan,
    Motion::Printer,
    Motion::PostProcessing,
    Motion::Cpe,
    Motion::Scanning,
    Motion::Electrical,
];

impl Motion {
    /// Base monthly purchase hazard for an engaged, mid-size customer with no boosts.
    pub fn base_hazard(self) -> f64 {
        match self {
            Motion::Seats => 0.018,
            Motion::Simulation => 0.006,
            Motion::Pdm => 0.006,
            Motion::CamWorks => 0.003,
            Motion::Training => 0.010,
            Motion::Services => 0.010,
            Motion::SuccessPlan => 0.006,
            Motion::Printer => 0.003,
            Motion::PostProcessing => 0.002,
            Motion::Cpe => 0.0015,
            Motion::Scanning => 0.002,
            Motion::Electrical => 0.003,
        }
    }

    /// The SKUs it sells, with relative weights, and the source `Division` label of the row.
    pub fn skus(self) -> (&'static [(&'static str, f64)], &'static str) {
        match self {
            Motion::Seats => (&[("SWX_Core", 0.6), ("SWX_Pro_Prem", 0.4)], "Solidworks"),
            Motion::Simulation => (&[("Simulation", 0.85), ("SW_Plastics", 0.15)], "Solidworks"),
            Motion::Pdm => (
                &[("PDM", 0.6), ("EPDM_CAD_Editor_Seats", 0.4)],
                "Solidworks",
            ),
            Motion::CamWorks => (&[("CAMWorks_Seats", 1.0)], "Solidworks"),
            Motion::Training => (&[("Training", 1.0)], "Solidworks"),
            Motion::Services => (&[("Services", 1.0)], "Services"),
            Motion::SuccessPlan => (&[("Success_Plan", 1.0)], "Solidworks"),
            Motion::Printer => (
                &[
                    ("FDM", 0.25),
                    ("FormLabs", 0.25),
                    ("SLA", 0.1),
                    ("Polyjet", 0.15),
                    ("SAF", 0.05),
                    ("P3", 0.05),
                    ("Metals", 0.05),
                    ("Fortus", 0.05),
                    ("uPrint", 0.03),
                    ("_1200_Elite_Fortus250", 0.02),
                ],
                "Stratasys",
            ),
            Motion::PostProcessing => (&[("Post_Processing", 1.0)], "Stratasys"),
            Motion::Cpe => (
                &[
                    ("CATIA", 0.5),
                    ("HV_Simulation", 0.2),
                    ("DELMIA", 0.2),
                    ("Delmia_Apriso", 0.1),
                ],
                "CPE",
            ),
            Motion::Scanning => (&[("Creaform", 0.6), ("Artec", 0.4)], "Scanning"),
            Motion::Electrical => (
                &[("SW_Electrical", 0.7), ("SW_Inspection", 0.3)],
                "Solidworks",
            ),
        }
    }
}

/// Mean gross profit per unit of a SKU, in dollars.
pub fn unit_gp(sku: &str) -> f64 {
    match sku {
        "SWX_Core" => 1_400.0,
        "SWX_Pro_Prem" => 2_600.0,
        "Core_New_UAP" | "Pro_Prem_New_UAP" => 550.0,
        "PDM" => 1_100.0,
        "EPDM_CAD_Editor_Seats" => 700.0,
        "Simulation" => 2_900.0,
        "SW_Plastics" => 1_200.0,
        "Services" => 1_800.0,
        "Training" => 650.0,
        "Success_Plan" => 900.0,
        "Consumables" => 180.0,
        "AM_Support" => 1_100.0,
        "SpareParts_RepairParts_TimeAndMaterials" => 350.0,
        "Post_Processing" => 2_200.0,
        "AM_Software" | "_3DP_Software" => 800.0,
        "CATIA" => 9_000.0,
        "HV_Simulation" => 6_000.0,
        "DELMIA" | "Delmia_Apriso" => 7_500.0,
        "Creaform" | "Artec" => 6_500.0,
        "CAMWorks_Seats" => 2_100.0,
        "SW_Electrical" | "SW_Inspection" => 1_300.0,
        _ => 5_000.0, // printers
    }
}

/// Industries with sub-industries and each one's affinity per motion (1.0 = neutral).
pub struct Industry {
    pub name: &'static str,
    pub subs: &'static [&'static str],
    pub weight: f64,
    pub affinity: fn(Motion) -> f64,
}

pub const INDUSTRIES: &[Industry] = &[
    Industry {
        name: "Industrial Machinery",
        subs: &[
            "Packaging Machinery",
            "Material Handling",
            "Pumps & Compressors",
        ],
        weight: 0.22,
        affinity: |m| match m {
            Motion::CamWorks => 3.0,
            Motion::Simulation => 1.5,
            Motion::Pdm => 1.3,
            _ => 1.0,
        },
    },
    Industry {
        name: "Medical Devices",
        subs: &["Surgical Instruments", "Orthopedics", "Diagnostics"],
        weight: 0.12,
        affinity: |m| match m {
            Motion::Simulation => 2.2,
            Motion::Scanning => 1.8,
            Motion::Printer => 1.6,
            Motion::Training => 1.3,
            _ => 1.0,
        },
    },
    Industry {
        name: "Aerospace & Defense",
        subs: &["Aircraft Components", "Defense Systems"],
        weight: 0.07,
        affinity: |m| match m {
            Motion::Cpe => 4.0,
            Motion::Simulation => 2.0,
            Motion::Pdm => 1.5,
            _ => 1.0,
        },
    },
    Industry {
        name: "Automotive",
        subs: &["Tier 1 Supplier", "Aftermarket Parts", "EV Components"],
        weight: 0.1,
        affinity: |m| match m {
            Motion::Cpe => 2.5,
            Motion::Scanning => 2.0,
            Motion::Simulation => 1.4,
            _ => 1.0,
        },
    },
    Industry {
        name: "Consumer Products",
        subs: &["Home Goods", "Sporting Goods", "Toys"],
        weight: 0.12,
        affinity: |m| match m {
            Motion::Printer => 2.2,
            Motion::PostProcessing => 1.8,
            Motion::Pdm => 1.2,
            _ => 1.0,
        },
    },
    Industry {
        name: "Electronics",
        subs: &[
            "Enclosures",
            "Electrical Equipment",
            "Semiconductors Equipment",
        ],
        weight: 0.1,
        affinity: |m| match m {
            Motion::Electrical => 4.0,
            Motion::Pdm => 1.3,
            _ => 1.0,
        },
    },
    Industry {
        name: "Education",
        subs: &["University", "Community College"],
        weight: 0.06,
        affinity: |m| match m {
            Motion::Training => 2.5,
            Motion::Printer => 1.5,
            Motion::Services => 0.5,
            Motion::Cpe => 0.2,
            _ => 1.0,
        },
    },
    Industry {
        name: "Architecture & Construction",
        subs: &["Building Products", "Structural Steel"],
        weight: 0.08,
        affinity: |m| match m {
            Motion::Services => 1.8,
            Motion::Scanning => 1.5,
            Motion::Simulation => 0.6,
            _ => 1.0,
        },
    },
    Industry {
        name: "Energy",
        subs: &["Oil & Gas Equipment", "Renewables"],
        weight: 0.06,
        affinity: |m| match m {
            Motion::Simulation => 1.8,
            Motion::Services => 1.4,
            _ => 1.0,
        },
    },
    Industry {
        name: "Job Shop",
        subs: &["Machining", "Fabrication"],
        weight: 0.07,
        affinity: |m| match m {
            Motion::CamWorks => 3.5,
            Motion::Seats => 0.8,
            _ => 1.0,
        },
    },
];

pub const NAME_FIRST: &[&str] = &[
    "Apex",
    "Summit",
    "Pioneer",
    "Vertex",
    "Granite",
    "Harbor",
    "Keystone",
    "Northwind",
    "Cobalt",
    "Sterling",
    "Redwood",
    "Ironclad",
    "Bluewater",
    "Falcon",
    "Meridian",
    "Atlas",
    "Beacon",
    "Cascade",
    "Precision",
    "Liberty",
    "Orion",
    "Titan",
    "Evergreen",
    "Silverline",
    "Quantum",
    "Frontier",
    "Highland",
    "Crescent",
    "Phoenix",
    "Vanguard",
    "Crayola",
    "Lakeside",
    "Prairie",
    "Copperhead",
    "Westfield",
    "Brighton",
    "Oakridge",
    "Stonebridge",
    "Riverbend",
    "Clearwater",
];

pub const NAME_SECOND: &[&str] = &[
    "Dynamics",
    "Engineering",
    "Manufacturing",
    "Systems",
    "Industries",
    "Technologies",
    "Fabrication",
    "Designs",
    "Machine Works",
    "Devices",
    "Instruments",
    "Components",
    "Robotics",
    "Solutions",
    "Products",
    "Tooling",
    "Automation",
    "Labs",
    "Motion",
    "Controls",
];

pub const NAME_SUFFIX: &[&str] = &["Inc", "LLC", "Corp", "Co", "Group", "Ltd", "Holdings", ""];

pub const BRANCHES: &[&str] = &[
    "Boston", "Chicago", "Denver", "Atlanta", "Dallas", "Seattle", "Toronto", "Phoenix",
];
pub const REPS: &[&str] = &[
    "A. Rivera",
    "B. Chen",
    "C. Okafor",
    "D. Novak",
    "E. Larsen",
    "F. Haddad",
    "G. Moreau",
    "H. Tanaka",
    "I. Kowalski",
    "J. Mensah",
    "K. Walsh",
    "L. Duarte",
];
