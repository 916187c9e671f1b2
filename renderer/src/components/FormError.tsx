/** A form's refusal (the core's words or ours), announced to screen readers; nothing without one. */
export function FormError({ error, testId }: { error: string | null | undefined; testId: string }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}
