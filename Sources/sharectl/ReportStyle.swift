/// The report page's style sheet: a clean layout for a laptop screen, and for paper.
enum ReportStyle {
    static let css = #"""
    :root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --paper: #ffffff; --ground: #f1f5f9;
            --accent: #4f46e5; --up: #047857; --down: #b91c1c; }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; background: var(--ground); color: var(--ink); line-height: 1.45;
           font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; }
    main { max-width: 1140px; margin: 0 auto; padding: 28px 24px 40px; }
    header.top { margin-bottom: 20px; }
    .eyebrow { margin: 0; color: var(--accent); font-weight: 600; font-size: 13px; letter-spacing: .06em; text-transform: uppercase; }
    h1 { margin: 4px 0 6px; font-size: 28px; line-height: 1.2; overflow-wrap: anywhere; }
    h2 { margin: 0 0 4px; font-size: 18px; }
    .range { margin: 0; font-size: 16px; color: var(--ink); }
    .filters { margin: 8px 0 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 6px; }
    .filters li { background: #e0e7ff; color: #3730a3; border-radius: 999px; padding: 2px 10px; font-size: 13px;
                  max-width: 100%; overflow-wrap: anywhere; }
    .meta { margin: 8px 0 0; color: var(--muted); font-size: 13px; overflow-wrap: anywhere; }
    .kpis { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 0 20px; padding: 0; }
    /* A card is as wide as its number (which breaks only where it is wider than the page). */
    .kpi { flex: 1 1 120px; max-width: 100%; background: var(--paper); border: 1px solid var(--line); border-radius: 12px; padding: 12px 14px; }
    .kpi dt { color: var(--muted); font-size: 13px; }
    .kpi dd { margin: 0; }
    .kpi .value { display: block; font-size: 19px; font-weight: 650; font-variant-numeric: tabular-nums; overflow-wrap: break-word; }
    .kpi .change { display: block; font-size: 12.5px; color: var(--muted); }
    .kpi .change.up { color: var(--up); }
    .kpi .change.down { color: var(--down); }
    .card { background: var(--paper); border: 1px solid var(--line); border-radius: 14px; padding: 18px 20px; margin-bottom: 20px;
            box-shadow: 0 1px 2px rgba(15, 23, 42, .04); min-width: 0; }
    .lead { margin: 0 0 14px; color: var(--muted); font-size: 14px; }
    .lead strong { color: var(--ink); }
    .pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 20px; align-items: start; }
    figure { margin: 0; }
    .chart { position: relative; height: 300px; width: 100%; }
    .chart.short { height: 240px; }
    .scroll { max-height: 340px; overflow: auto; border: 1px solid var(--line); border-radius: 8px; }
    table { width: 100%; border-collapse: collapse; font-size: 13.5px; font-variant-numeric: tabular-nums; }
    caption { text-align: left; color: var(--muted); font-size: 12.5px; padding: 0 0 6px; }
    th, td { padding: 6px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
    td.text { min-width: 6.5em; overflow-wrap: anywhere; }
    th { color: var(--muted); font-weight: 600; font-size: 12.5px; background: #f8fafc; position: sticky; top: 0; }
    td.num, th.num { text-align: right; white-space: nowrap; }
    th.num { white-space: normal; }
    tr:last-child td { border-bottom: 0; }
    .table { margin-top: 14px; overflow-x: auto; }
    .pair .table { margin-top: 0; }
    .pair table { font-size: 12.5px; }
    .pair th, .pair td { padding: 5px 6px; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 3px; margin-right: 6px; vertical-align: baseline; }
    .empty { text-align: center; padding: 48px 20px; }
    .empty p { color: var(--muted); margin: 6px 0 0; }
    .error { background: #fef2f2; color: var(--down); border: 1px solid #fecaca; border-radius: 10px; padding: 10px 14px; margin-bottom: 16px; }
    footer { color: var(--muted); font-size: 12.5px; margin-top: 8px; }
    /* The tier table needs about 520 px beside its chart. */
    @media (max-width: 1200px) {
        .pair { grid-template-columns: minmax(0, 1fr); }
    }
    @media (max-width: 820px) {
        main { padding: 18px 12px 28px; }
    }
    @media print {
        @page { margin: 14mm; }
        body { background: #fff; font-size: 11pt; }
        main { max-width: none; padding: 0; }
        .card, .kpi { box-shadow: none; break-inside: avoid; }
        .scroll { max-height: none; overflow: visible; border: 0; }
        /* A table as wide as the paper: nothing scrolls there. */
        .table { overflow: visible; }
        table, .pair table { font-size: 8.5pt; }
        th, td, .pair th, .pair td { padding: 3px 4px; }
        td.text { min-width: 0; }
        th { position: static; }
        /* The charts keep the size they were drawn at, scaled to the paper's width. */
        .chart { height: auto !important; }
        .chart canvas { max-width: 100% !important; height: auto !important; }
        .pair { grid-template-columns: minmax(0, 1fr); }
        .error { display: none; }
    }
    """#
}
