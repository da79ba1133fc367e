// A single-page app: everything renders in the browser from local documents.
export const ssr = false;
export const prerender = false;
