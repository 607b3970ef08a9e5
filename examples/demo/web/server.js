console.log("demo web");
