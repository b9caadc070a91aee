// One bar of the dashboard's SVG bar charts: two stacked parts from the baseline, the total above
// it (when there is one), and an optional label under the axis.
export function StackedBar({
  x,
  base,
  width,
  lower,
  upper,
  value,
  label,
}: {
  readonly x: number;
  /** The baseline's y (bars grow upwards from it). */
  readonly base: number;
  readonly width: number;
  readonly lower: { readonly height: number; readonly className: string };
  readonly upper: { readonly height: number; readonly className: string };
  /** Written above the bar when above zero. */
  readonly value: number;
  /** Written under the axis, when given. */
  readonly label?: string | number | undefined;
}) {
  const top = base - lower.height - upper.height;
  return (
    <>
      <rect
        x={x}
        y={base - lower.height}
        width={width}
        height={lower.height}
        className={lower.className}
      />
      <rect x={x} y={top} width={width} height={upper.height} className={upper.className} />
      {value > 0 && (
        <text x={x + width / 2} y={top - 4} textAnchor="middle" className="bar-value">
          {value}
        </text>
      )}
      {label !== undefined && (
        <text x={x + width / 2} y={base + 16} textAnchor="middle" className="bar-label">
          {label}
        </text>
      )}
    </>
  );
}
