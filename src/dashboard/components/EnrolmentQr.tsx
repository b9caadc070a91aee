// The enrolment link as a QR code for the tablet's camera: black modules on white with the quiet
// zone of four modules a scanner needs, drawn as one SVG path whatever the screen's scale.
import { useMemo } from 'react';
import { encodeQr, qrPath } from '../qr.ts';

const QUIET_ZONE = 4;

export function EnrolmentQr({
  link,
  label,
  tooLong,
}: {
  readonly link: string;
  /** What the picture is, for a screen reader. */
  readonly label: string;
  /** Said instead when the link does not fit a QR code. */
  readonly tooLong: string;
}) {
  const qr = useMemo(() => {
    try {
      return encodeQr(link);
    } catch {
      return undefined;
    }
  }, [link]);
  if (qr === undefined) return <p className="small">{tooLong}</p>;
  const side = qr.size + 2 * QUIET_ZONE;
  return (
    <svg
      className="enrolment-qr"
      viewBox={`0 0 ${side} ${side}`}
      role="img"
      aria-label={label}
      data-qr-version={qr.version}
      shapeRendering="crispEdges"
    >
      <rect width={side} height={side} fill="#fff" />
      <path d={qrPath(qr, QUIET_ZONE)} fill="#000" />
    </svg>
  );
}
