// The report REST API, with the facilitator secret (bearer) or a reviewer link's key (X-Report-Key).

import { t } from '../js/i18n.js';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function messageOf(response) {
  try {
    const body = await response.json();
    const detail = body.detail;
    if (typeof detail === 'string') return detail;
    if (detail && detail.message) return detail.message;
    if (Array.isArray(detail)) return detail.map((item) => `${item.loc.slice(1).join('.')}: ${item.msg}`).join('; ');
  } catch {
    // not JSON: fall through
  }
  return t('error.http', { status: response.status });
}

export function createReportApi({ exerciseId, secret, key }) {
  const base = `/api/exercises/${encodeURIComponent(exerciseId)}`;
  const headers = secret ? { Authorization: `Bearer ${secret}` } : { 'X-Report-Key': key };

  async function call(method, path, body) {
    const init = { method, headers: { ...headers, Accept: 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch {
      throw new ApiError(0, t('report.unreachable'));
    }
    if (!response.ok) throw new ApiError(response.status, await messageOf(response));
    return response.status === 204 ? null : response.json();
  }

  return {
    canEdit: Boolean(secret),
    view: () => call('GET', `${base}/report/view`),
    status: () => call('GET', `${base}/report/status`),
    reviewerLink: () => call('GET', `${base}/report/link`),
    plan: () => call('GET', `${base}/improvement-plan`),
    addItem: (item) => call('POST', `${base}/improvement-plan`, item),
    updateItem: (id, item) => call('PUT', `${base}/improvement-plan/${id}`, item),
    deleteItem: (id) => call('DELETE', `${base}/improvement-plan/${id}`),

    /** Fetch an export and hand it to the browser as a download. */
    async download(format) {
      let response;
      try {
        response = await fetch(`${base}/report/export?format=${encodeURIComponent(format)}`, { headers });
      } catch {
        throw new ApiError(0, t('report.download_unreachable'));
      }
      if (!response.ok) throw new ApiError(response.status, await messageOf(response));
      const disposition = response.headers.get('Content-Disposition') || '';
      const name = (disposition.match(/filename="([^"]+)"/) || [])[1] || `report.${format}`;
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      return name;
    },
  };
}
