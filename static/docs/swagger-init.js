// Starts Swagger UI on /docs. Kept in a file, not inline, so the page runs under the same
// Content-Security-Policy as every other Hotline page ("script-src 'self'").
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  layout: 'BaseLayout',
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
