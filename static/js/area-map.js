/* A network's area on a Leaflet map, shown or drawn. Each element with `data-area-map` is a map; its data-*
   attributes give the municipality boundaries (`data-municipalities-url`), the drawn area (`data-polygon`, a
   GeoJSON URL), the tile URL and the labels. With `data-editable`, clicking the map adds a corner; the buttons
   with `data-area-action="undo|clear"` in the same form remove the last corner or all of them; the polygon is
   written as GeoJSON into the field named by `data-input`, which the form posts. Leaflet has no drawing tool
   of its own in our packages: this is the minimal one. No inline script (CSP). */
(function () {
  "use strict";

  var BELGIUM = [[49.49, 2.54], [51.51, 6.41]];
  var BOUNDARY_STYLE = { color: "#8a4b00", weight: 2, fillOpacity: 0.04, dashArray: "4" };
  var AREA_STYLE = { color: "#0b4f8a", weight: 3, fillOpacity: 0.2 };

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } }).then(
      function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      }
    );
  }

  /* The outer ring of the first polygon in a FeatureCollection, as [lat, lng] corners without the closing one. */
  function firstRing(collection) {
    var feature = (collection.features || [])[0];
    var geometry = feature && feature.geometry;
    if (!geometry || geometry.type !== "Polygon") { return null; }
    var ring = geometry.coordinates[0].map(function (point) { return [point[1], point[0]]; });
    if (ring.length > 1) {
      var first = ring[0], last = ring[ring.length - 1];
      if (first[0] === last[0] && first[1] === last[1]) { ring.pop(); }
    }
    return ring;
  }

  function toGeoJson(corners) {
    var ring = corners.map(function (latlng) { return [round(latlng[1]), round(latlng[0])]; });
    ring.push(ring[0]);
    return JSON.stringify({ type: "Polygon", coordinates: [ring] });
  }

  function round(value) { return Math.round(value * 1e6) / 1e6; }

  function initMap(element) {
    var data = element.dataset;
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false }).fitBounds(BELGIUM);
    L.control.zoom({ zoomInTitle: data.zoomInLabel || "+", zoomOutTitle: data.zoomOutLabel || "-" }).addTo(map);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: data.tileAttribution || "" }).addTo(map);
    }
    // The boundary is for reference only: clicks go through it to the map (and so to the drawing).
    var boundary = L.geoJSON(null, { style: function () { return BOUNDARY_STYLE; }, interactive: false }).addTo(map);
    var area = L.geoJSON(null, { style: function () { return AREA_STYLE; } }).addTo(map);
    var loads = [];
    if (data.municipalitiesUrl) {
      loads.push(fetchJson(data.municipalitiesUrl).then(function (json) { boundary.addData(json); return null; }));
    }
    var existing = null;
    if (data.polygon) {
      loads.push(fetchJson(data.polygon).then(function (json) { existing = json; area.addData(json); return null; }));
    }
    var editor = data.editable !== undefined ? makeEditor(element, map, area) : null;
    Promise.all(loads).then(function () {
      var bounds = area.getLayers().length ? area.getBounds() : boundary.getLayers().length ? boundary.getBounds() : null;
      if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); }
      if (editor && existing) { editor.start(firstRing(existing)); }
      element.setAttribute("data-loaded", "true");
    }).catch(function () {
      element.setAttribute("data-loaded", "error");
    });
  }

  function makeEditor(element, map, area) {
    var data = element.dataset;
    var input = document.getElementById(data.input);
    var form = input ? input.form : null;
    var status = document.getElementById("area-map-status");
    var corners = [];
    var drawn = L.layerGroup().addTo(map);
    var dirty = false;

    function button(action) { return form ? form.querySelector('[data-area-action="' + action + '"]') : null; }

    function redraw() {
      drawn.clearLayers();
      if (corners.length >= 3) {
        L.polygon(corners, AREA_STYLE).addTo(drawn);
      } else if (corners.length === 2) {
        L.polyline(corners, AREA_STYLE).addTo(drawn);
      }
      corners.forEach(function (corner) {
        L.circleMarker(corner, { radius: 5, color: "#0b4f8a", fillOpacity: 1, interactive: false }).addTo(drawn);
      });
      if (status) { status.textContent = (data.pointsLabel || "") + " " + corners.length; }
      if (dirty && input) { input.value = corners.length >= 3 ? toGeoJson(corners) : ""; }
      var undo = button("undo"), clear = button("clear");
      if (undo) { undo.disabled = corners.length === 0; }
      if (clear) { clear.disabled = corners.length === 0; }
    }

    function change() {
      if (!dirty) { area.clearLayers(); }
      dirty = true;
      redraw();
    }

    map.on("click", function (event) {
      corners.push([event.latlng.lat, event.latlng.lng]);
      change();
    });
    ["undo", "clear"].forEach(function (action) {
      var element = button(action);
      if (!element) { return; }
      element.hidden = false;
      element.addEventListener("click", function () {
        if (action === "undo") { corners.pop(); } else { corners = []; }
        change();
      });
    });
    if (form) {
      form.addEventListener("submit", function (event) {
        if (dirty && corners.length > 0 && corners.length < 3) {
          event.preventDefault();
          if (status) { status.textContent = data.tooFewLabel || status.textContent; }
        }
      });
    }
    element.style.cursor = "crosshair";
    redraw();
    return {
      start: function (ring) {
        if (ring && ring.length >= 3) {
          corners = ring;
          area.clearLayers();
          redraw();
        }
      },
    };
  }

  function init() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-area-map]").forEach(initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
