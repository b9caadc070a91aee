// A file field in the dashboard's language: a native file input says "Choose file / No file
// chosen" in the browser's language, whatever the page's. The input stays (visually hidden, in
// the tab order, named by the field's label, so keyboards, screen readers and tests use it as
// any input), behind a label styled as a button and the chosen files' names in the page's words.
import type { ChangeEvent } from 'react';
import { useText } from '../text.ts';

export function FilePicker({
  id,
  label,
  accept,
  multiple = false,
  disabled = false,
  chosen,
  onChange,
}: {
  /** The input's id (its label's `for`). */
  readonly id: string;
  /** The field's label ("Fichier de sauvegarde (.json)"), which names the input. */
  readonly label: string;
  readonly accept: string;
  readonly multiple?: boolean;
  readonly disabled?: boolean;
  /** The names of the files the field holds now, as its owner keeps them. */
  readonly chosen: readonly string[];
  readonly onChange: (event: ChangeEvent<HTMLInputElement>) => void;
}) {
  const text = useText();
  return (
    <div className="field file-picker">
      <label htmlFor={id}>{label}</label>
      <div className="file-picker-row">
        <input
          id={id}
          type="file"
          className="file-input visually-hidden"
          accept={accept}
          multiple={multiple}
          disabled={disabled}
          aria-describedby={`${id}-chosen`}
          onChange={onChange}
        />
        {/* A second label of the same input: a click on it opens the browser's file dialog. It
            is hidden from screen readers, which read the field's label and the chosen files. */}
        <label htmlFor={id} className="file-button" aria-hidden="true">
          {multiple ? text.filesChoose : text.fileChoose}
        </label>
        <span id={`${id}-chosen`} className="file-chosen">
          {chosen.length === 0 ? text.fileNone : chosen.join(', ')}
        </span>
      </div>
    </div>
  );
}
