import { useId, type InputHTMLAttributes } from 'react';

type Props = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Already translated; shown under the field and announced with it. */
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
} & Pick<InputHTMLAttributes<HTMLInputElement>, 'name' | 'type' | 'autoComplete' | 'inputMode' | 'spellCheck' | 'readOnly'>;

/** A labelled input whose hint and error are tied to it (aria-describedby), so both are read out. */
export function TextField({ label, value, onChange, error, hint, required = false, ...input }: Props) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint === undefined ? null : hintId, error === undefined ? null : errorId].filter((x) => x !== null).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error === undefined ? undefined : true}
        aria-required={required || undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        {...input}
      />
      {hint !== undefined && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
