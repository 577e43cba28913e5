"""Unit and one-sentence meaning of every main-table column (FINK-REFERENCE §1.2, §7, §8).

``i:`` columns come from the ZTF alert packet (avro schema 3.3, ``candidate.*`` and root fields);
``d:`` columns are added by Fink's science modules. Keys are qualifiers without the family, plus
``classification``, the Fink label stored in ``ztf.pixel128`` (§7). Units are short symbols
(``deg``, ``arcsec``, ``mag``, ``JD``, ...); ``None`` means the value has no unit (counts, ids,
scores, flags, text).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ColumnDoc:
    """What a column holds: its unit (``None`` when unitless) and a one-sentence description."""

    unit: str | None
    description: str


_ORDINAL = {1: "closest", 2: "second-closest", 3: "third-closest"}
_PS1_BANDS = {"sgmag": "g", "srmag": "r", "simag": "i", "szmag": "z"}


def _ps1_columns() -> dict[str, ColumnDoc]:
    """The per-neighbour Pan-STARRS1 columns ``*1``, ``*2``, ``*3`` (nearest three sources)."""
    docs: dict[str, ColumnDoc] = {}
    for n, rank in _ORDINAL.items():
        where = f"the {rank} PS1 source within 30 arcsec of the candidate"
        for prefix, band in _PS1_BANDS.items():
            docs[f"{prefix}{n}"] = ColumnDoc("mag", f"PS1 {band}-band PSF magnitude of {where}.")
        docs[f"sgscore{n}"] = ColumnDoc(
            None, f"PS1 star/galaxy score of {where}, from 0 (galaxy-like) to 1 (star-like)."
        )
        docs[f"distpsnr{n}"] = ColumnDoc("arcsec", f"Angular separation to {where}.")
        docs[f"objectidps{n}"] = ColumnDoc(None, f"Pan-STARRS1 object identifier of {where}.")
    return docs


_ROOT: dict[str, ColumnDoc] = {
    "objectId": ColumnDoc(
        None, "ZTF object name (ZTFyyaaaaaaa) shared by every alert at the same sky position."
    ),
    "publisher": ColumnDoc(None, 'Who published the stored alert; Fink writes "Fink".'),
    "schemavsn": ColumnDoc(None, "Version of the ZTF avro alert schema the packet follows."),
    "fink_broker_version": ColumnDoc(
        None, "Version of fink-broker that processed and stored the alert."
    ),
    "fink_science_version": ColumnDoc(
        None, "Version of fink-science whose modules computed the d: columns."
    ),
    "candid": ColumnDoc(
        None, "Unique ZTF identifier of this detection (one alert), from the ZTF operations DB."
    ),
}

_CANDIDATE: dict[str, ColumnDoc] = {
    # time
    "jd": ColumnDoc(
        "JD", "Start of the exposure that produced this detection, as a UTC Julian Date."
    ),
    "jdstarthist": ColumnDoc(
        "JD", "Julian Date of the earliest detection counted in ndethist (first 3-sigma variation)."
    ),
    "jdendhist": ColumnDoc("JD", "Julian Date of the latest detection counted in ndethist."),
    "jdstartref": ColumnDoc(
        "JD", "Julian Date of the first exposure stacked into the reference image."
    ),
    "jdendref": ColumnDoc(
        "JD", "Julian Date of the last exposure stacked into the reference image."
    ),
    "exptime": ColumnDoc("s", "Exposure (integration) time of the science image."),
    # position
    "ra": ColumnDoc("deg", "Right ascension of the detection, J2000."),
    "dec": ColumnDoc("deg", "Declination of the detection, J2000."),
    "ranr": ColumnDoc(
        "deg", "Right ascension (J2000) of the nearest source in the reference-image PSF catalogue."
    ),
    "decnr": ColumnDoc(
        "deg", "Declination (J2000) of the nearest source in the reference-image PSF catalogue."
    ),
    "xpos": ColumnDoc("pixels", "Column coordinate of the detection on the science image."),
    "ypos": ColumnDoc("pixels", "Row coordinate of the detection on the science image."),
    "mindtoedge": ColumnDoc("pixels", "Distance from the detection to the closest image edge."),
    # exposure / pipeline identifiers
    "fid": ColumnDoc(None, "ZTF filter of the exposure: 1 = g, 2 = r, 3 = i."),
    "field": ColumnDoc(None, "ZTF survey field number of the exposure."),
    "rcid": ColumnDoc(None, "CCD readout-channel (quadrant) index of the exposure, 0 to 63."),
    "nid": ColumnDoc(None, "ZTF night number of the exposure."),
    "pid": ColumnDoc(None, "Processing ID of the science image, used to retrieve it from IRSA."),
    "rfid": ColumnDoc(None, "Processing ID of the reference image used for the subtraction."),
    "tblid": ColumnDoc(None, "Internal row ID of the source in the pipeline's extraction table."),
    "programid": ColumnDoc(
        None, "ZTF observing programme: 1 = public survey, 2 = partnership, 3 = Caltech."
    ),
    "programpi": ColumnDoc(None, "Principal investigator of the programme that took the exposure."),
    "pdiffimfilename": ColumnDoc(
        None, "File name of the science-minus-reference difference image."
    ),
    "tooflag": ColumnDoc(
        None, "1 if the exposure was a Target-of-Opportunity observation, else 0."
    ),
    "nframesref": ColumnDoc(None, "Number of individual exposures co-added into the reference."),
    # photometry
    "magpsf": ColumnDoc("mag", "PSF-fit magnitude of the source on the difference image."),
    "sigmapsf": ColumnDoc("mag", "1-sigma uncertainty of magpsf."),
    "chipsf": ColumnDoc(None, "Reduced chi-square of the PSF fit."),
    "magap": ColumnDoc(
        "mag", "Aperture magnitude on the difference image, 14-pixel diameter aperture."
    ),
    "sigmagap": ColumnDoc("mag", "1-sigma uncertainty of magap."),
    "magapbig": ColumnDoc(
        "mag", "Aperture magnitude on the difference image, 18-pixel diameter aperture."
    ),
    "sigmagapbig": ColumnDoc("mag", "1-sigma uncertainty of magapbig."),
    "magdiff": ColumnDoc("mag", "Aperture minus PSF magnitude (magap - magpsf)."),
    "diffmaglim": ColumnDoc(
        "mag", "5-sigma limiting magnitude of the difference image, from its global noise."
    ),
    "magfromlim": ColumnDoc(
        "mag", "Limiting magnitude minus aperture magnitude (diffmaglim - magap)."
    ),
    "isdiffpos": ColumnDoc(
        None,
        'Sign of the subtraction: "t" or "1" if the source is brighter than the reference '
        '(science - reference), "f" or "0" if fainter.',
    ),
    "scorr": ColumnDoc(
        None, "Signal-to-noise ratio of the peak pixel in the PSF matched-filter detection image."
    ),
    "sky": ColumnDoc("DN", "Local sky background level around the detection."),
    "fwhm": ColumnDoc(
        "pixels", "Full width at half maximum of the source (Gaussian core, SExtractor)."
    ),
    "classtar": ColumnDoc(
        None, "SExtractor star/galaxy score of the source, from 0 (extended) to 1 (point-like)."
    ),
    "aimage": ColumnDoc(
        "pixels", "Windowed RMS size of the source along its major axis (SExtractor)."
    ),
    "bimage": ColumnDoc(
        "pixels", "Windowed RMS size of the source along its minor axis (SExtractor)."
    ),
    "aimagerat": ColumnDoc(None, "Major-axis size relative to the seeing (aimage / fwhm)."),
    "bimagerat": ColumnDoc(None, "Minor-axis size relative to the seeing (bimage / fwhm)."),
    "elong": ColumnDoc(None, "Elongation of the source, aimage / bimage."),
    "seeratio": ColumnDoc(None, "FWHM of the difference image divided by fwhm."),
    "nneg": ColumnDoc(None, "Count of negative pixels in the 5x5 stamp around the detection."),
    "nbad": ColumnDoc(
        None, "Count of pixels flagged bad beforehand in the 5x5 stamp; Fink keeps only nbad = 0."
    ),
    "sumrat": ColumnDoc(
        None,
        "Sum of the pixels over the sum of their absolute values in the median-filtered 5x5 stamp.",
    ),
    "dsnrms": ColumnDoc(
        None, "Difference-image value at the source over the difference image's standard deviation."
    ),
    "ssnrms": ColumnDoc(
        None, "Same ratio as dsnrms, on the difference image convolved with its PSF."
    ),
    "dsdiff": ColumnDoc(None, "dsnrms minus ssnrms."),
    # real/bogus
    "rb": ColumnDoc(
        None, "Random-forest real/bogus score, 0 to 1 (1 = real); Fink keeps rb >= 0.55."
    ),
    "rbversion": ColumnDoc(None, "Model version of the random-forest real/bogus classifier (rb)."),
    "drb": ColumnDoc(None, "Deep-learning real/bogus score, 0 to 1 (1 = real)."),
    "drbversion": ColumnDoc(
        None, "Model version of the deep-learning real/bogus classifier (drb)."
    ),
    # nearest reference-image source
    "distnr": ColumnDoc(
        "pixels", "Distance to the nearest source in the reference-image PSF catalogue."
    ),
    "magnr": ColumnDoc("mag", "Magnitude of the nearest source in the reference-image catalogue."),
    "sigmagnr": ColumnDoc("mag", "1-sigma uncertainty of magnr."),
    "chinr": ColumnDoc(None, "DAOPhot chi of the nearest source in the reference-image catalogue."),
    "sharpnr": ColumnDoc(
        None, "DAOPhot sharpness of the nearest source in the reference-image catalogue."
    ),
    # history counts
    "ndethist": ColumnDoc(
        None,
        "Number of past detections within 1.5 arcsec since the survey began, counting only "
        "the same field and readout channel.",
    ),
    "ncovhist": ColumnDoc(
        None, "Number of past exposures (any field or readout channel) covering this position."
    ),
    # solar system
    "ssdistnr": ColumnDoc(
        "arcsec",
        "Separation to the nearest known solar-system object, if one lies within 30 arcsec.",
    ),
    "ssmagnr": ColumnDoc(
        "mag", "Predicted magnitude (usually V, from the MPC) of that nearest solar-system object."
    ),
    "ssnamenr": ColumnDoc(
        None,
        "MPC name or number of the nearest known solar-system object within 30 arcsec; the text "
        '"null" when there is none.',
    ),
    # Pan-STARRS1 counts (the per-neighbour columns come from _ps1_columns)
    "nmtchps": ColumnDoc(None, "Number of PS1 sources within 30 arcsec of the candidate."),
    # Gaia DR1
    "neargaia": ColumnDoc(
        "arcsec", "Separation to the nearest Gaia DR1 source (any magnitude) within 90 arcsec."
    ),
    "maggaia": ColumnDoc("mag", "Gaia G magnitude of the source given by neargaia."),
    "neargaiabright": ColumnDoc(
        "arcsec",
        "Separation to the nearest Gaia DR1 source brighter than G = 14, within 90 arcsec.",
    ),
    "maggaiabright": ColumnDoc("mag", "Gaia G magnitude of the source given by neargaiabright."),
    # photometric calibration of the science image
    "magzpsci": ColumnDoc("mag", "Photometric zero point of the science image."),
    "magzpsciunc": ColumnDoc("mag", "Uncertainty of magzpsci."),
    "magzpscirms": ColumnDoc(
        "mag", "RMS scatter of the calibrator residuals used to derive the science zero point."
    ),
    "zpmed": ColumnDoc("mag", "Zero point taken as the median of the calibrator residuals."),
    "nmatches": ColumnDoc(None, "Number of PS1 calibrator stars used for the science image."),
    "clrcoeff": ColumnDoc(None, "Colour term of the linear photometric calibration fit."),
    "clrcounc": ColumnDoc(None, "Uncertainty of clrcoeff."),
    "zpclrcov": ColumnDoc("mag^2", "Covariance between magzpsci and clrcoeff."),
    "clrmed": ColumnDoc(
        "mag", "Median PS1 colour of the calibrators (g-r for fid 1 and 2, r-i for fid 3)."
    ),
    "clrrms": ColumnDoc("mag", "RMS spread of the calibrators' PS1 colours."),
    **_ps1_columns(),
}

_FINK: dict[str, ColumnDoc] = {
    # crossmatches
    "cdsxmatch": ColumnDoc(
        None,
        'SIMBAD object type of the nearest SIMBAD source within 1.5 arcsec; "Unknown" if none, '
        '"Fail" (possibly with an HTTP code) if the CDS query failed.',
    ),
    "DR3Name": ColumnDoc(
        None, 'Gaia DR3 designation of the nearest Gaia DR3 source ("Unknown" if none).'
    ),
    "Plx": ColumnDoc("mas", "Gaia DR3 parallax of that DR3Name source (0 if none)."),
    "e_Plx": ColumnDoc("mas", "Uncertainty of the Gaia DR3 parallax Plx (0 if none)."),
    "gaiaVarFlag": ColumnDoc(
        None, "Gaia DR3 photometric variability flag of the counterpart: 1 variable, 0 otherwise."
    ),
    "gaiaClass": ColumnDoc(
        None,
        "Best variability class of the counterpart in the Gaia DR3 variability classification "
        '(I/358/vclassre); "Unknown" if none.',
    ),
    "vsx": ColumnDoc(
        None, 'Variable-star type of the nearest AAVSO VSX catalogue entry; "Unknown" if none.'
    ),
    "gcvs": ColumnDoc(
        None,
        "Variable-star type of the nearest General Catalogue of Variable Stars entry; "
        '"Unknown" if none.',
    ),
    "x3hsp": ColumnDoc(
        None, 'Name of the 3HSP blazar catalogue counterpart within 1 arcmin; "Unknown" if none.'
    ),
    "x4lac": ColumnDoc(
        None,
        "Name of the Fermi 4LAC-DR3 AGN/blazar catalogue counterpart within 1 arcmin; "
        '"Unknown" if none.',
    ),
    "spicy_id": ColumnDoc(
        None,
        "SPICY young-stellar-object catalogue number of the counterpart within 1.2 arcsec; "
        "-1 if none.",
    ),
    "spicy_class": ColumnDoc(
        None, 'SPICY young-stellar-object class of the counterpart; "Unknown" if none.'
    ),
    "mangrove_HyperLEDA_name": ColumnDoc(
        None, 'HyperLEDA name of the closest Mangrove host-galaxy within 1 arcmin; "None" if none.'
    ),
    "mangrove_2MASS_name": ColumnDoc(
        None, '2MASS name of the closest Mangrove host-galaxy within 1 arcmin; "None" if none.'
    ),
    "mangrove_lum_dist": ColumnDoc(
        "Mpc", 'Luminosity distance of the matched Mangrove galaxy, as text ("None" if none).'
    ),
    "mangrove_ang_dist": ColumnDoc(
        None,
        "The Mangrove catalogue's ang_dist value for the matched galaxy, as text "
        '("None" if none).',
    ),
    "tns": ColumnDoc(
        None,
        'TNS type (e.g. "SN Ia") of the nearest classified TNS entry within 1.5 arcsec; empty '
        "text if none.",
    ),
    "tracklet": ColumnDoc(
        None,
        "Fink fast-mover tracklet ID (TRCK_<date>_<time>_<n>) linking alerts along one moving "
        "streak, e.g. a satellite; empty if none.",
    ),
    # classifier scores
    "snn_snia_vs_nonia": ColumnDoc(
        None, "SuperNNova probability (0 to 1) that the source is a SN Ia rather than another SN."
    ),
    "snn_sn_vs_all": ColumnDoc(
        None, "SuperNNova probability (0 to 1) that the source is a supernova of any type."
    ),
    "rf_snia_vs_nonia": ColumnDoc(
        None, "Random-forest score (0 to 1) that the source is an early, rising SN Ia."
    ),
    "rf_kn_vs_nonkn": ColumnDoc(
        None,
        "Random-forest score (0 to 1, PCA light-curve features) that the source is a kilonova.",
    ),
    "mulens": ColumnDoc(None, "LIA microlensing score; above 0 marks a microlensing candidate."),
    "slsn_score": ColumnDoc(
        None,
        "Superluminous-supernova classifier score, 0 to 1; -1 when not computed (too few points, "
        "not a likely transient, or source younger than 30 days).",
    ),
    "anomaly_score": ColumnDoc(
        None,
        "Anomaly-detection score from the light-curve features; lower means more anomalous.",
    ),
    "roid": ColumnDoc(
        None,
        "Fink solar-system flag: 0 not a moving object, 1 first appearance (likely not one), "
        "2 solar-system candidate, 3 known MPC object.",
    ),
    "is_transient": ColumnDoc(
        None, "Fink flag: true when the alert is judged a pure static transient."
    ),
    "blazar_stats_m0": ColumnDoc(
        None, "CTAO blazar-state feature m0 (low-state robustness); >= 1 marks a new low state."
    ),
    "blazar_stats_m1": ColumnDoc(None, "CTAO blazar-state feature m1 (low-state robustness)."),
    "blazar_stats_m2": ColumnDoc(None, "CTAO blazar-state feature m2 (low-state duration)."),
    # history and light curve
    "nalerthist": ColumnDoc(
        None, "Number of detections in the alert (current plus history), upper limits excluded."
    ),
    "lc_features_g": ColumnDoc(
        None,
        'Light-curve features of the g band, stored as a text array "[v1, v2, ...]" in the '
        'feature struct\'s field order; "[]" if absent.',
    ),
    "lc_features_r": ColumnDoc(
        None,
        'Light-curve features of the r band, stored as a text array "[v1, v2, ...]" in the '
        'feature struct\'s field order; "[]" if absent.',
    ),
    # fast-transient rate module
    "jd_first_real_det": ColumnDoc(
        "JD", "Fink's first 5-sigma detection time: the Julian Date of the oldest history point."
    ),
    "jdstarthist_dt": ColumnDoc(
        "days",
        "jd_first_real_det minus jdstarthist; above 30 days jd_first_real_det is not the true "
        "first detection.",
    ),
    "mag_rate": ColumnDoc(
        "mag/day",
        "Magnitude change rate between this detection and an earlier point in the same filter "
        "(negative = brightening).",
    ),
    "sigma_rate": ColumnDoc(
        "mag/day", "Standard deviation of the Monte-Carlo samples of mag_rate."
    ),
    "lower_rate": ColumnDoc("mag/day", "5th percentile of the Monte-Carlo samples of mag_rate."),
    "upper_rate": ColumnDoc("mag/day", "95th percentile of the Monte-Carlo samples of mag_rate."),
    "delta_time": ColumnDoc("days", "Time between the two measurements used for mag_rate."),
    "from_upper": ColumnDoc(
        None, "True when mag_rate was computed against an upper limit rather than a detection."
    ),
}

_DERIVED: dict[str, ColumnDoc] = {
    "classification": ColumnDoc(
        None,
        'Fink label of the alert: a Fink class (e.g. "SN candidate", "Solar System MPC"), '
        'the SIMBAD type from cdsxmatch, or "Unknown".',
    ),
}

COLUMN_DOCS: dict[str, ColumnDoc] = {**_ROOT, **_CANDIDATE, **_FINK, **_DERIVED}
"""Unit and description of every main-table qualifier, plus ``classification``."""

_UNKNOWN = ColumnDoc(None, "")


def column_doc(qualifier: str) -> ColumnDoc:
    """The doc of ``qualifier``; ``ColumnDoc(None, "")`` for a name not in the catalog."""
    return COLUMN_DOCS.get(qualifier, _UNKNOWN)
