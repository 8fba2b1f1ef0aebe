// RFC 9457 problem+json → what the user sees: messages per form field, and a message for the form itself.

/** The top-level field a validation key names: "tags[2]" → "tags", "Title" → "title", "address.city" → "address". */
export function fieldOf(key) {
  const head = String(key).split(/[.[]/, 1)[0];
  return head.length === 0 ? '' : head[0].toLowerCase() + head.slice(1);
}

/**
 * Splits a problem's `errors` object between the fields a form has and the rest.
 * @param {object|null} problem the parsed problem+json body (or null when the body was not one)
 * @param {string[]} fields the field names the form shows (API names, e.g. "title", "assigneeId")
 * @returns {{fields: Record<string, string[]>, general: string[]}}
 */
export function mapProblem(problem, fields) {
  const result = { fields: {}, general: [] };
  const known = new Map(fields.map((f) => [f.toLowerCase(), f]));
  const errors = problem && typeof problem.errors === 'object' && problem.errors !== null ? problem.errors : {};
  for (const [key, value] of Object.entries(errors)) {
    const messages = (Array.isArray(value) ? value : [value]).map(String);
    const field = known.get(fieldOf(key).toLowerCase());
    if (field) {
      (result.fields[field] ??= []).push(...messages);
    } else {
      result.general.push(...messages);
    }
  }
  if (Object.keys(result.fields).length === 0 && result.general.length === 0) {
    result.general.push(problemMessage(problem));
  }
  return result;
}

/** One sentence for a problem: its detail, else its title, else a generic message. */
export function problemMessage(problem, status) {
  if (problem && typeof problem.detail === 'string' && problem.detail.length > 0) return problem.detail;
  if (problem && typeof problem.title === 'string' && problem.title.length > 0) return problem.title;
  return status ? `The request failed (HTTP ${status}).` : 'The request failed.';
}
