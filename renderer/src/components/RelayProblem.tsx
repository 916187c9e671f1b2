import { wordReason } from '../../../shared/words/word-reason.js';
import { useApp } from '../store/context.js';

/**
 * Why the account's MSRP relay carries no chat session now (a `relay.*` reason from the core's
 * `relay` events): shown in a conversation's Details and under the account's relay setting until a
 * login to the relay works again. Nothing while there is no such trouble.
 */
export function RelayProblem() {
  const problem = useApp((s) => s.relayProblem);
  if (!problem) return null;
  return (
    <p className="form-error relay-problem" role="status" data-testid="relay-problem">
      {wordReason(problem)}
    </p>
  );
}
