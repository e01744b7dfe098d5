// The control REST API with the facilitator secret as a bearer token. The server answers every error
// as {detail, code, field} (docs/protocol.md); callers get an ApiError {status, code, message}.

import { t } from '../i18n.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** `onUnauthorized` runs when the server refuses the secret (it was changed, or mistyped). */
export function createApi(secret, onUnauthorized = () => {}) {
  async function request(method, path, body) {
    const headers = { Authorization: `Bearer ${secret}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'network', t('error.network'));
    }
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = data?.detail;
      if (response.status === 401) {
        onUnauthorized();
        throw new ApiError(401, 'unauthorized', t('signin.wrong_secret'));
      }
      if (detail && typeof detail === 'object' && !Array.isArray(detail)) {
        throw new ApiError(response.status, detail.code || 'error', detail.message || t('error.unknown'));
      }
      if (typeof detail === 'string') throw new ApiError(response.status, data.code || 'error', detail);
      if (Array.isArray(detail)) {
        const first = detail[0];
        throw new ApiError(response.status, 'invalid', `${(first.loc || []).slice(1).join('.')}: ${first.msg}`);
      }
      throw new ApiError(response.status, 'error', t('error.http', { status: response.status }));
    }
    return data;
  }

  /**
   * Send a scenario upload (multipart FormData). Resolves {status, data} for every answer the upload
   * endpoints give (200/201 with a summary; 409, 413, 415, 422 with {detail, problems}).
   */
  async function upload(path, form) {
    let response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}`, Accept: 'application/json' },
        body: form,
      });
    } catch {
      throw new ApiError(0, 'network', t('error.network'));
    }
    const data = await response.json().catch(() => null);
    if (response.status === 401) {
      onUnauthorized();
      throw new ApiError(401, 'unauthorized', t('signin.wrong_secret'));
    }
    if (response.status >= 500 || !data) {
      throw new ApiError(response.status, 'error', t('error.http', { status: response.status }));
    }
    return { status: response.status, data };
  }

  return {
    whoami: () => request('GET', '/api/whoami'),
    signOut: () => request('POST', '/api/sign-out'),
    scenarios: () => request('GET', '/api/scenarios'),
    scenario: (id) => request('GET', `/api/scenarios/${encodeURIComponent(id)}`),
    validateScenario: (form) => upload('/api/scenarios/validate', form),
    addScenario: (form) => upload('/api/scenarios', form),
    exercises: () => request('GET', '/api/exercises'),
    exercise: (id) => request('GET', `/api/exercises/${encodeURIComponent(id)}`),
    createExercise: (body) => request('POST', '/api/exercises', body),
    seats: (id) => request('GET', `/api/exercises/${encodeURIComponent(id)}/seats`),
    issueSeat: (id, body) => request('POST', `/api/exercises/${encodeURIComponent(id)}/seats`, body),
    reissueSeat: (id, seatId) =>
      request('POST', `/api/exercises/${encodeURIComponent(id)}/seats/${encodeURIComponent(seatId)}/reissue`),
    seatCards: (id, links) => request('POST', `/api/exercises/${encodeURIComponent(id)}/seat-cards`, { links }),
    jumpPreview: (id, params) =>
      request('GET', `/api/exercises/${encodeURIComponent(id)}/jump-preview?${new URLSearchParams(params)}`),
    archiveExercise: (id, archived) =>
      request('POST', `/api/exercises/${encodeURIComponent(id)}/archive`, { archived }),
    deleteExercise: (id) => request('DELETE', `/api/exercises/${encodeURIComponent(id)}`),
    revokeSeat: (id, seatId) =>
      request('DELETE', `/api/exercises/${encodeURIComponent(id)}/seats/${encodeURIComponent(seatId)}`),
  };
}

/** Exchange a named account's password for a session token, used from then on where the secret would be. */
export async function signInWithAccount(name, password) {
  let response;
  try {
    response = await fetch('/api/sign-in', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ name, password }),
    });
  } catch {
    throw new ApiError(0, 'network', t('error.network'));
  }
  const data = await response.json().catch(() => null);
  if (response.status === 401) throw new ApiError(401, 'unauthorized', t('signin.wrong_password'));
  if (!response.ok || !data) {
    const detail = typeof data?.detail === 'string' ? data.detail : t('error.http', { status: response.status });
    throw new ApiError(response.status, data?.code || 'error', detail);
  }
  return data;
}
