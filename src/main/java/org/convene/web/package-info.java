/** HTTP: the REST API, auth, error mapping and pages. Calls the features; holds no rules of its own. */
package org.convene.web;
