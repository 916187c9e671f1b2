import { useId, type ReactNode } from 'react';

/** One on/off setting of the settings view: a checkbox, its label, and a hint under it where one helps. */
export function SettingCheck(props: {
  label: ReactNode;
  checked: boolean;
  onChange(checked: boolean): void;
  testId: string;
  disabled?: boolean;
  hint?: ReactNode;
}) {
  const id = useId();
  return (
    <>
      <div className="check">
        <input
          id={id}
          type="checkbox"
          checked={props.checked}
          disabled={props.disabled}
          onChange={(e) => props.onChange(e.target.checked)}
          aria-describedby={props.hint ? `${id}-hint` : undefined}
          data-testid={props.testId}
        />
        <label htmlFor={id}>{props.label}</label>
      </div>
      {props.hint && (
        <p className="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </>
  );
}
