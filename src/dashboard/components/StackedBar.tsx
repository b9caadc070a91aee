// One bar of the dashboard's SVG bar charts: two stacked parts from the baseline, their total
// above it (when there is one: the charts' legends say so), and an optional label under the axis.
export function StackedBar({
  x,
  base,
  width,
  scale,
  lower,
  upper,
  label,
}: {
  readonly x: number;
  /** The baseline's y (bars grow upwards from it). */
  readonly base: number;
  readonly width: number;
  /** The height of one unit. */
  readonly scale: number;
  readonly lower: { readonly count: number; readonly className: string };
  readonly upper: { readonly count: number; readonly className: string };
  /** Written under the axis, when given. */
  readonly label?: string | number | undefined;
}) {
  const total = lower.count + upper.count;
  const lowerHeight = lower.count * scale;
  const top = base - total * scale;
  return (
    <>
      <rect
        x={x}
        y={base - lowerHeight}
        width={width}
        height={lowerHeight}
        className={lower.className}
      />
      <rect x={x} y={top} width={width} height={upper.count * scale} className={upper.className} />
      {total > 0 && (
        <text x={x + width / 2} y={top - 4} textAnchor="middle" className="bar-value">
          {total}
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
